/**
 * The three.js scene of the 3D viewer, loaded only when a 3D panel comes into view (three is
 * large): a point cloud (with its lidar boxes and vectors) or a mesh (OBJ, glTF, GLB), lit, the
 * camera fitted to it, turned with the mouse (OrbitControls), drawn on demand. The drawing
 * buffer is kept so that a screenshot or a test can read the pixels.
 */
import type { PointCloud } from "../../lib/point-cloud.js";
import { BOX_EDGES } from "../../lib/point-cloud.js";

export interface SceneHandle {
  dispose: () => void;
}

export type SceneSource =
  | { kind: "points"; cloud: PointCloud }
  | { kind: "mesh"; format: "obj" | "gltf" | "glb"; bytes: ArrayBuffer };

export async function mountScene(canvas: HTMLCanvasElement, source: SceneSource): Promise<SceneHandle> {
  const THREE = await import("three");
  const { OrbitControls } = await import("three/examples/jsm/controls/OrbitControls.js");
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setSize(canvas.width, canvas.height, false);
  renderer.setClearColor(0x111418);
  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(50, canvas.width / canvas.height, 0.01, 1e7);
  scene.add(new THREE.AmbientLight(0xffffff, 1.2));
  const light = new THREE.DirectionalLight(0xffffff, 1.5);
  light.position.set(1, 2, 3);
  scene.add(light);

  const root = new THREE.Group();
  if (source.kind === "points") {
    const { cloud } = source;
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute("position", new THREE.BufferAttribute(cloud.positions, 3));
    geometry.setAttribute("color", new THREE.BufferAttribute(cloud.colors, 3));
    root.add(
      new THREE.Points(
        geometry,
        new THREE.PointsMaterial({ size: 2, sizeAttenuation: false, vertexColors: true }),
      ),
    );
    for (const box of cloud.boxes) {
      const line: number[] = [];
      for (const [a, b] of BOX_EDGES)
        line.push(...(box.corners[a] ?? [0, 0, 0]), ...(box.corners[b] ?? [0, 0, 0]));
      const g = new THREE.BufferGeometry();
      g.setAttribute("position", new THREE.Float32BufferAttribute(line, 3));
      root.add(
        new THREE.LineSegments(g, new THREE.LineBasicMaterial({ color: new THREE.Color(...box.color) })),
      );
    }
    for (const v of cloud.vectors) {
      const g = new THREE.BufferGeometry();
      g.setAttribute("position", new THREE.Float32BufferAttribute([...v.start, ...v.end], 3));
      root.add(new THREE.Line(g, new THREE.LineBasicMaterial({ color: 0xffffff })));
    }
  } else if (source.format === "obj") {
    const { OBJLoader } = await import("three/examples/jsm/loaders/OBJLoader.js");
    root.add(new OBJLoader().parse(new TextDecoder().decode(source.bytes)));
  } else {
    const { GLTFLoader } = await import("three/examples/jsm/loaders/GLTFLoader.js");
    const gltf = await new GLTFLoader().parseAsync(source.bytes, "");
    root.add(gltf.scene);
  }
  scene.add(root);

  const sphere = new THREE.Box3().setFromObject(root).getBoundingSphere(new THREE.Sphere());
  const radius = sphere.radius > 0 && Number.isFinite(sphere.radius) ? sphere.radius : 1;
  camera.position.copy(sphere.center).add(new THREE.Vector3(radius * 1.2, radius * 0.9, radius * 1.8));
  camera.lookAt(sphere.center);
  const controls = new OrbitControls(camera, canvas);
  controls.target.copy(sphere.center);
  const render = () => renderer.render(scene, camera);
  controls.addEventListener("change", render);
  controls.update();
  render();
  return {
    dispose: () => {
      controls.dispose();
      renderer.dispose();
      scene.traverse((o) => {
        const mesh = o as { geometry?: { dispose: () => void } };
        mesh.geometry?.dispose();
      });
    },
  };
}
