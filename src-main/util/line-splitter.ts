/** Splits a stream of chunks into lines; feed chunks, get complete lines back. */
export function createLineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let buffered = '';
  return (chunk) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).replace(/\r$/, '');
      buffered = buffered.slice(nl + 1);
      if (line.trim()) onLine(line);
    }
  };
}
