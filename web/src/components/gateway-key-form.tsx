import { useState } from "preact/hooks";
import { gatewayKey } from "../api/gateway-key.ts";

/** Shown when the gateway refuses the API without a key (it has keys: `llmux keys create`). */
export function GatewayKeyForm({ onSaved, rejected }: { onSaved(): void; rejected: boolean }) {
  const [value, setValue] = useState("");
  return (
    <form
      class="key-form"
      onSubmit={(event) => {
        event.preventDefault();
        gatewayKey.set(value.trim());
        onSaved();
      }}
    >
      <p>
        {rejected
          ? "The gateway did not accept the saved key."
          : "This gateway needs a key (create one with llmux keys create)."}
      </p>
      <label for="gateway-key">Gateway key</label>
      <input
        id="gateway-key"
        type="password"
        autocomplete="off"
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <button type="submit" disabled={!value.trim()}>
        Use this key
      </button>
    </form>
  );
}
