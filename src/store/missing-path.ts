/** True for the errors that mean "no such file": the path, or a folder on it, does not exist. */
export function isMissingPath(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
