/** The `details` object of a model in Ollama's /api/tags, /api/show and /api/ps. */
export function toOllamaDetails(format: string, family: string, parameterSize: string, quantization: string) {
  return {
    parent_model: "",
    format,
    family,
    families: family === "" ? null : [family],
    parameter_size: parameterSize,
    quantization_level: quantization,
  };
}
