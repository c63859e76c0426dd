/** A one-line terminal progress bar (redrawn in place on a TTY, a line per 10% otherwise). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  return {
    update(done: number, total: number, note = ""): void {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(ratio * width);
        stream.write(
          `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${note}`.padEnd(
            80,
          ),
        );
        return;
      }
      const decile = Math.floor(ratio * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label} ${Math.round(ratio * 100)}% (${done}/${total}) ${note}\n`);
      }
    },
    finish(): void {
      if (stream.isTTY) stream.write("\n");
    },
  };
}

/** Renders rows as an aligned plain-text table. */
export function formatTable(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((row) => line(columns.map((c) => String(row[c] ?? "")))),
  ].join("\n");
}
