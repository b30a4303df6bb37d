// Pages built to make an HTML extractor slow, for the tests and the benchmark of the reader's
// bounds and worker threads.

/** 1,500 nested <div>s in 19 KB: extracting it on the main thread would take minutes. */
export const DEEPLY_NESTED = `<html><head><title>Nest</title></head><body>${"<div>".repeat(1500)}<p>Deep.</p>${"</div>".repeat(1500)}</body></html>`;

/**
 * Within every bound (150 deep, about 12,000 elements, 126 KB) yet about 3 s of Readability:
 * it runs to the end, so only a worker thread keeps the server answering meanwhile.
 */
export const SLOW_BUT_BOUNDED = `<html><head><title>Slow</title></head><body>${`${"<div><p>Some words here.</p>".repeat(150)}${"</div>".repeat(150)}`.repeat(40)}</body></html>`;
