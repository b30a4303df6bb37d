import type { HealthCheckTarget } from "./health-check-target.ts";

/** Whether the deployment's server answers its health check with a 2xx within `timeoutMs`. */
export async function checkDeploymentHealth(target: HealthCheckTarget, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(target.url, {
      headers: target.headers,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
