/**
 * Throttles workspace diagnostics. vscode-languageclient pulls
 * `workspace/diagnostic` again two seconds after every answer, forever; a
 * server that re-checks every note on each pull would then never rest. The
 * gate lets a pull through once after something that can change the results
 * (start, a note or source changed on disk, a settings change, Check
 * Workspace) and answers the rest with an empty report, which changes nothing.
 */
export class WorkspacePullGate {
  private dirty = true;

  markDirty(): void {
    this.dirty = true;
  }

  /** True once after each change: this pull should reach the server. */
  take(): boolean {
    const pass = this.dirty;
    this.dirty = false;
    return pass;
  }
}
