import type { AppModel, AppModelList } from "../../../src/gateway/app/app-api-types.ts";
import { findAppModel } from "../state/find-app-model.ts";

interface ModelPickerProps {
  id: string;
  label: string;
  models: AppModelList | null;
  value: string;
  onChange(reference: string): void;
  disabled?: boolean;
  /** Models that only need downloading can be picked too: the view offers the download. */
  downloadable?: boolean;
}

const formatContext = (tokens: number) =>
  tokens >= 1_000_000 ? `${+(tokens / 1_000_000).toFixed(1)}M` : `${Math.round(tokens / 1000)}K`;

function describePrice(model: AppModel): string {
  if (!model.pricing) return "price unknown";
  const { inputPerMTok, outputPerMTok } = model.pricing;
  if (inputPerMTok === 0 && outputPerMTok === 0) return "free (runs locally)";
  const asOf = model.pricesAsOf ? ` (as of ${model.pricesAsOf})` : "";
  return `$${inputPerMTok} in / $${outputPerMTok} out per 1M tokens${asOf}`;
}

function optionLabel(model: AppModel): string {
  const context = model.contextWindow ? ` · ${formatContext(model.contextWindow)} context` : "";
  const price = model.pricing ? ` · $${model.pricing.inputPerMTok}/$${model.pricing.outputPerMTok}` : "";
  const status = model.ready ? "" : ` · ${model.reason ?? "not ready"}`;
  return `${model.ready ? "" : "○ "}${model.name} (${model.provider})${status}${context}${price}`;
}

function describeStatus(model: AppModel): string {
  return model.ready ? "Ready" : `Not ready (${model.reason ?? "unknown model"}): ${model.setup}`;
}

/**
 * Models grouped by how they are reached. Those that cannot answer now are marked ○ with the
 * reason and cannot be picked (unless `downloadable` and a download is all they need); the
 * current value still shows when it is one of them.
 */
export function ModelPicker({
  id,
  label,
  models,
  value,
  onChange,
  disabled,
  downloadable,
}: ModelPickerProps) {
  const selected = findAppModel(models, value);
  return (
    <div class="model-picker">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled || !models}
        aria-describedby={`${id}-facts`}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {!models && <option value={value}>{value || "Loading models…"}</option>}
        {models?.groups.map((group) => (
          <optgroup key={group.category} label={group.label}>
            {group.models.map((model) => (
              <option
                key={model.reference}
                value={model.reference}
                disabled={
                  !model.ready && model.reference !== value && !(downloadable && model.downloadBytes !== null)
                }
              >
                {optionLabel(model)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p id={`${id}-facts`} class="model-facts">
        {selected
          ? [
              describeStatus(selected),
              selected.contextWindow ? `${formatContext(selected.contextWindow)} context` : "context unknown",
              describePrice(selected),
            ].join(" · ")
          : value}
      </p>
    </div>
  );
}
