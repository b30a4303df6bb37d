/**
 * The last bytes of an upstream's answer, where its usage is: a stream's last `limit` bytes or
 * more (whole chunks), a body that is not streamed kept whole.
 */
export class ByteTail {
  readonly chunks: Buffer[] = [];
  private bytes = 0;
  private whole: Buffer | undefined;

  constructor(
    private readonly limit: number,
    private readonly stream: boolean,
  ) {}

  push(chunk: Buffer): void {
    const { chunks } = this;
    chunks.push(chunk);
    this.bytes += chunk.length;
    this.whole = undefined;
    if (!this.stream) return;
    while (this.bytes - chunks[0]!.length >= this.limit) this.bytes -= chunks.shift()!.length;
  }

  /** The kept bytes as one buffer (joined once, until more come); undefined when none came. */
  joined(): Buffer | undefined {
    const { chunks } = this;
    if (chunks.length === 0) return undefined;
    this.whole ??= chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    return this.whole;
  }
}
