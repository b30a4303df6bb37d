/** What an OpenTelemetry exporter reports for one export (ExportResult: code 0 is success). */
export interface ExportOutcome {
  code: number;
  error?: Error;
}

/**
 * Has `exporter` tell `report` how each of its exports went, as well as the SDK that called it:
 * the SDK itself only tells OpenTelemetry's diagnostic logger, which the gateway leaves silent.
 */
export function watchExports<
  Items,
  T extends { export(items: Items, done: (result: ExportOutcome) => void): void },
>(exporter: T, report: (result: ExportOutcome) => void): T {
  const send = exporter.export.bind(exporter);
  exporter.export = (items, done) =>
    send(items, (result) => {
      report(result);
      done(result);
    });
  return exporter;
}
