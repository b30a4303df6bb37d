/**
 * Loads each target once to warm it up, then `rounds` times, the order reversed every other
 * round so that neither target always follows the other: each target's results, by round.
 */
export async function alternateRounds<T extends { name: string }, R>(
  targets: readonly T[],
  rounds: number,
  load: (target: T) => Promise<R>,
): Promise<Map<string, R[]>> {
  const results = new Map(targets.map((target) => [target.name, [] as R[]]));
  for (const target of targets) await load(target);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) results.get(target.name)!.push(await load(target));
  }
  return results;
}
