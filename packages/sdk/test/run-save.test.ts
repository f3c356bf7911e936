/** run.save()'s naming rules (wandb.save's): which files a glob takes and the paths they keep in the run. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "@stepwise/protocol";
import { planSave } from "../src/run/run-save.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function tree(root: string, files: string[]): void {
  for (const file of files) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), file);
  }
}

const paths = (plan: ReturnType<typeof planSave>): string[] => plan.files.map((file) => file.path);

describe("run.save naming", () => {
  it("keeps the folders of a relative glob below the working directory", () => {
    const cwd = tempDir();
    tree(cwd, ["ckpt/a.pt", "ckpt/b.pt", "ckpt/notes.txt", "other/c.pt"]);
    const plan = planSave("ckpt/*.pt", undefined, cwd);
    expect(paths(plan)).toEqual(["ckpt/a.pt", "ckpt/b.pt"]);
    expect(plan.files[0]?.local).toBe(join(cwd, "ckpt", "a.pt"));
    expect(plan.policy).toBe("live");
    expect(plan.warning).toBeNull();
  });

  it("keeps one folder level of an absolute path without basePath, and warns", () => {
    const root = tempDir();
    tree(root, ["mnt/out/model.h5"]);
    const plan = planSave(join(root, "mnt/out/model.h5"), { policy: "now" }, "/");
    expect(paths(plan)).toEqual(["out/model.h5"]);
    expect(plan.warning?.cause).toBe("save-without-folders");
  });

  it("names files relative to basePath, through ** folders", () => {
    const root = tempDir();
    tree(root, ["runs/x/a.json", "runs/x/deep/b.json", "runs/.hidden/c.json", "runs/d.txt"]);
    const plan = planSave(join(root, "runs/**/*.json"), { basePath: join(root, "runs"), policy: "end" }, "/");
    expect(paths(plan)).toEqual(["x/a.json", "x/deep/b.json"]);
    expect(plan.policy).toBe("end");
  });

  it("expands the glob when called: a file created afterwards is not in the plan", () => {
    const cwd = tempDir();
    tree(cwd, ["a.txt"]);
    const plan = planSave("*.txt", undefined, cwd);
    tree(cwd, ["b.txt"]);
    expect(paths(plan)).toEqual(["a.txt"]);
  });

  it("matches ? and [] classes within one segment", () => {
    const cwd = tempDir();
    tree(cwd, ["e1.log", "e2.log", "e10.log", "f1.log"]);
    expect(paths(planSave("e?.log", undefined, cwd))).toEqual(["e1.log", "e2.log"]);
    expect(paths(planSave("[ef]1.log", undefined, cwd))).toEqual(["e1.log", "f1.log"]);
    expect(paths(planSave("[!e]*.log", undefined, cwd))).toEqual(["f1.log"]);
  });

  it("warns once per glob and saves nothing when nothing matches", () => {
    const cwd = tempDir();
    const plan = planSave("missing/*.pt", undefined, cwd);
    expect(plan.files).toEqual([]);
    expect(plan.warning?.message).toContain(join(cwd, "missing/*.pt"));
  });

  it("leaves out, with a warning, a file whose name cannot be a run file path", () => {
    const cwd = tempDir();
    tree(cwd, ["ok.txt", "bad\\name.txt"]);
    const plan = planSave("*.txt", undefined, cwd);
    expect(paths(plan)).toEqual(["ok.txt"]);
    expect(plan.warning?.message).toContain("1 file(s) left out");
  });

  it("refuses a glob outside basePath, a bad policy and a non-string glob", () => {
    const cwd = tempDir();
    expect(() => planSave("../x.txt", { basePath: cwd }, cwd)).toThrow(UsageError);
    expect(() => planSave("x.txt", { policy: "sometimes" as never }, cwd)).toThrow(
      /policy must be one of live, now, end/,
    );
    expect(() => planSave(42, undefined, cwd)).toThrow(UsageError);
  });
});
