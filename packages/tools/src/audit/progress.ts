// Progress of an audit on stderr: one live line, rewritten in place, when stderr is a terminal;
// a plain line every few seconds otherwise (CI logs); nothing with --quiet. Results never go here.

export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly mode: "live" | "lines" | "quiet";
  /** Milliseconds between lines (plain mode) or redraws (live mode). */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export class Progress {
  accountsTotal = 0;
  accountsDone = 0;
  scopesTotal = 0;
  scopesDone = 0;
  groupsRead = 0;
  private readonly started: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;
  private liveShown = false;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => Date.now());
    this.started = this.now();
  }

  start(): void {
    if (this.options.mode === "quiet" || this.timer) return;
    const interval = this.options.intervalMs ?? (this.options.mode === "live" ? 250 : 5_000);
    this.timer = setInterval(() => this.tick(), interval);
    // A progress timer never keeps the process alive by itself.
    this.timer.unref?.();
  }

  /** A note that is not progress (e.g. an endpoint lacking a call): its own line in every mode but quiet. */
  note(line: string): void {
    if (this.options.mode === "quiet") return;
    this.clearLive();
    this.options.write(`audit: ${line}\n`);
    if (this.options.mode === "live") this.drawLive();
  }

  tick(): void {
    if (this.options.mode === "live") this.drawLive();
    else if (this.options.mode === "lines") this.options.write(`audit: ${this.line()}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.mode === "quiet") return;
    this.clearLive();
    this.options.write(`audit: done: ${this.line()}\n`);
  }

  /** `3/22 account-regions, 2/11 accounts, 450 groups read, 12 s elapsed, about 40 s left` */
  line(): string {
    const elapsed = (this.now() - this.started) / 1000;
    const parts = [
      `${this.scopesDone}/${this.scopesTotal} account-region(s)`,
      `${this.accountsDone}/${this.accountsTotal} account(s)`,
      `${this.groupsRead} deployment group(s) read`,
      `${Math.round(elapsed)} s elapsed`,
    ];
    if (this.scopesDone > 0 && this.scopesDone < this.scopesTotal) {
      const left = (elapsed / this.scopesDone) * (this.scopesTotal - this.scopesDone);
      parts.push(`about ${Math.max(1, Math.round(left))} s left`);
    }
    return parts.join(", ");
  }

  private drawLive(): void {
    this.options.write(`\r\x1b[2Kaudit: ${this.line()}`);
    this.liveShown = true;
  }

  private clearLive(): void {
    if (this.liveShown) this.options.write("\r\x1b[2K");
    this.liveShown = false;
  }
}
