import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDatabase, usingPostgres } from "../support/db.js";
import { COMPILED_ENTRY, REPO_ROOT, startBridgeProcess } from "../support/process.js";

describe("the bridge process", () => {
  it("starts with an empty environment, answers health checks and exits 0 on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bridge-proc-"));
    const bridge = await startBridgeProcess({ DATA_DIR: dataDir, PORT: "0" });
    expect((await fetch(`${bridge.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bridge.url}/readyz`)).status).toBe(200);
    const { code, ms } = await bridge.stop("SIGTERM");
    expect(code).toBe(0);
    expect(ms).toBeLessThan(15_000);
    expect(bridge.output()).toContain("BRIDGE_ENCRYPTION_KEY");
  }, 90_000);

  it("builds and runs compiled like `npm start`: migrations, pages and scripts found from dist/", async () => {
    const build = spawnSync("npm", ["run", "build", "--silent"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const dataDir = mkdtempSync(join(tmpdir(), "bridge-dist-"));
    const bridge = await startBridgeProcess({ DATA_DIR: dataDir, PORT: "0" }, 60_000, COMPILED_ENTRY);
    try {
      expect((await fetch(`${bridge.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${bridge.url}/`)).status).toBe(200);
      const script = await fetch(`${bridge.url}/static/copy.js`);
      expect(script.status).toBe(200);
      expect(await script.text()).toContain("clipboard");
    } finally {
      expect((await bridge.stop("SIGTERM")).code).toBe(0);
    }
  }, 180_000);

  it("lets the CLI rotate the key through the running bridge on the embedded database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bridge-rot-"));
    const bridge = await startBridgeProcess({ DATA_DIR: dataDir, PORT: "0" });
    try {
      const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "rotate-key"], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.stdout).toContain("re-sealed by the running bridge");
      expect(result.status).toBe(0);
      // The control endpoint refuses anyone without the token from the data folder.
      const denied = await fetch(`${bridge.url}/internal/control/rotate-key`, { method: "POST" });
      expect(denied.status).toBe(401);
    } finally {
      expect((await bridge.stop()).code).toBe(0);
    }
  }, 90_000);

  it("uses PostgreSQL through DATABASE_URL with the same command", async () => {
    // On the PGlite run there is no server to point at; the PostgreSQL run covers this path.
    const database = usingPostgres() ? await createTestDatabase({ migrate: false }) : undefined;
    if (!database?.url) return;
    try {
      const bridge = await startBridgeProcess({
        DATA_DIR: mkdtempSync(join(tmpdir(), "bridge-pg-")),
        PORT: "0",
        DATABASE_URL: database.url,
      });
      expect((await fetch(`${bridge.url}/readyz`)).status).toBe(200);
      expect((await bridge.stop("SIGINT")).code).toBe(0);
    } finally {
      await database.close();
    }
  }, 90_000);

  it("refuses a bad configuration with exit code 1 and names the variable", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", PORT: "not-a-port", DATABASE_URL: "mysql://nope" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("PORT");
    expect(result.stderr).toContain("DATABASE_URL");
  }, 90_000);
});
