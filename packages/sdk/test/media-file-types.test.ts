/**
 * fileType as ../shared/spec/sdk.md names it: a Molecule or Object3D file path without an
 * extension takes its fileType as its type (the logged file ends in it and holds the file's
 * bytes); Object3D refuses an unknown fileType; Image accepts "png" | "jpg" | "bmp" and refuses
 * "jpg"/"bmp" for pixel data with why (no such encoder is bundled) and what to do, while a file
 * given with one keeps its own type.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import { Image, Molecule, Object3D } from "../src/index.js";
import { encodePng } from "../src/media/encode/encode-png.js";
import { offlineRun, storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

describe("fileType", () => {
  it("types a Molecule or Object3D path without an extension", async () => {
    const dir = tempDir();
    const molecule = join(dir, "protein");
    writeFileSync(
      molecule,
      "ATOM      1  N   ALA A   1      11.104   6.134  -6.504  1.00  0.00           N\nEND\n",
    );
    const mesh = join(dir, "mesh");
    writeFileSync(mesh, "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
    const run = await offlineRun(dir);
    run.log({
      mol: new Molecule(molecule, { fileType: "pdb" }),
      obj: new Object3D(mesh, { fileType: "obj" }),
    });
    await run.finish();
    const [row] = storedRows(run.dir);
    const mol = row?.["mol"] as { path: string };
    const obj = row?.["obj"] as { path: string };
    expect(mol.path).toMatch(/^media\/molecule\/mol_0_[0-9a-f]{20}\.pdb$/);
    expect(obj.path).toMatch(/^media\/object3D\/obj_0_[0-9a-f]{20}\.obj$/);
    expect(readFileSync(join(run.dir, "files", mol.path), "utf8")).toBe(readFileSync(molecule, "utf8"));
    expect(readFileSync(join(run.dir, "files", obj.path), "utf8")).toBe(readFileSync(mesh, "utf8"));
  });

  it("refuses an unknown Object3D fileType", () => {
    expect(() => new Object3D("mesh", { fileType: "fbx" as never })).toThrow(InvalidDataError);
    expect(() => new Object3D("mesh", { fileType: "fbx" as never })).toThrow(
      /fileType must be one of obj, gltf/,
    );
  });

  it("Image: jpg/bmp for pixel data is refused with why; a file keeps its own type", async () => {
    const pixels = { data: new Uint8Array(2 * 2 * 3), shape: [2, 2, 3] };
    expect(() => new Image(pixels, { fileType: "jpg" })).toThrow(
      /no JPEG encoder is bundled.*log the \.jpg file/,
    );
    expect(() => new Image(pixels, { fileType: "bmp" })).toThrow(/no BMP encoder is bundled/);
    expect(() => new Image(pixels, { fileType: "gif" as never })).toThrow(/must be "png", "jpg" or "bmp"/);
    const dir = tempDir();
    const png = join(dir, "pic.png");
    writeFileSync(
      png,
      encodePng({ pixels: new Uint8Array(12).fill(3), width: 2, height: 2, channels: 3, scale: "none" }),
    );
    const run = await offlineRun(dir);
    run.log({ pic: new Image(png, { fileType: "jpg" }), raw: new Image(pixels, { fileType: "png" }) });
    await run.finish();
    const [row] = storedRows(run.dir);
    expect(row?.["pic"]).toMatchObject({ format: "png", width: 2, height: 2 });
    expect(row?.["raw"]).toMatchObject({ format: "png" });
  });
});
