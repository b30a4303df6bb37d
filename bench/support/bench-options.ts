/** `--rounds N`, `--duration S` and `--connections N` from the command line, or their defaults. */
export function benchOptions(defaults = { rounds: 3, duration: 5, connections: 32 }): typeof defaults {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return {
    rounds: option("--rounds", defaults.rounds),
    duration: option("--duration", defaults.duration),
    connections: option("--connections", defaults.connections),
  };
}
