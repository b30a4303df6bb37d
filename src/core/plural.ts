/** The word for `count` things: "token" for 1, "tokens" otherwise (give irregular plurals). */
export function plural(count: number | null, singular: string, pluralForm = `${singular}s`): string {
  return count === 1 ? singular : pluralForm;
}
