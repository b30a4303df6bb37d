import { ApiError } from "./api-error.ts";
import { gatewayKey } from "./gateway-key.ts";

/** A JSON call to the gateway; throws ApiError on any non-2xx answer. */
export async function requestJson<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: gatewayKey.headers(),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw await ApiError.from(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
