// The benchmark's third reference: the smallest sensible three.js page showing a GLB under the
// room environment, as three's own glTF example does it (the environment built first, then the
// model loaded, framed and drawn once). Same renderer settings as our viewer; built with the
// harness (build-harness.ts). `three-page.html?model=<url>` opens that model.
import { Box3, NeutralToneMapping, PerspectiveCamera, PMREMGenerator, Scene, Sphere, Vector3, WebGLRenderer } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

declare global {
  interface Window {
    __benchTag?: () => { lit: boolean };
  }
}

const root = document.getElementById('root')!;
const renderer = new WebGLRenderer({ antialias: true, alpha: true, powerPreference: 'high-performance' });
renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
renderer.setSize(root.clientWidth, root.clientHeight);
renderer.setClearColor(0x000000, 0);
renderer.toneMapping = NeutralToneMapping;
renderer.debug.checkShaderErrors = false;
root.appendChild(renderer.domElement);

const scene = new Scene();
const camera = new PerspectiveCamera(38, root.clientWidth / root.clientHeight, 0.01, 1000);
const pmrem = new PMREMGenerator(renderer);
scene.environment = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
window.__benchTag = () => ({ lit: scene.environment !== null });

const url = new URLSearchParams(location.search).get('model');
if (url) {
  new GLTFLoader().load(url, (gltf) => {
    scene.add(gltf.scene);
    const sphere = new Box3().setFromObject(gltf.scene).getBoundingSphere(new Sphere());
    const distance = sphere.radius / Math.sin((camera.fov * Math.PI) / 360);
    camera.position.copy(sphere.center).addScaledVector(new Vector3(0.55, 0.38, 1).normalize(), distance * 1.18);
    camera.near = sphere.radius / 100;
    camera.far = sphere.radius * 100;
    camera.updateProjectionMatrix();
    camera.lookAt(sphere.center);
    renderer.render(scene, camera);
  });
}
