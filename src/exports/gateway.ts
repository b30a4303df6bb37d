// `import "llmux/gateway"`: the gateway alone, without the rest of the library.

export { type LlmuxConfig, loadConfig } from "../core/load-config.ts";
export { type Gateway, type GatewayOptions, startGateway } from "../gateway/start-gateway.ts";
