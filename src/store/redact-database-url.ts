/** A database URL fit for a message or a log line: its password (if any) replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    // Unparseable: hide whatever sits between "//user:" and "@", the usual place of a password.
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
  }
}
