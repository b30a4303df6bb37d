import type { AppModel, AppModelList } from "../../../src/gateway/app/app-api-types.ts";

/** The listed model with this reference, across the groups; undefined while the list loads or when not listed. */
export function findAppModel(
  models: AppModelList | null,
  reference: string | undefined,
): AppModel | undefined {
  return models?.groups.flatMap((g) => g.models).find((m) => m.reference === reference);
}
