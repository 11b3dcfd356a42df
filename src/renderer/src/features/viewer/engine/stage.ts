// The fixed parts of a viewer: one WebGLRenderer, scene, camera, orbit controls, lights and grid.
// The canvas is transparent; the backdrop behind it is CSS, so the background toggle costs no GPU work.
import {
  DirectionalLight,
  Group,
  HemisphereLight,
  NeutralToneMapping,
  PerspectiveCamera,
  Scene,
  WebGLRenderer,
  type WebGLRenderTarget,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { GroundGrid } from './ground-grid';
import type { LightingPreset } from './view-settings';

/**
 * The three lighting presets: how strong the room environment is, and the key light that follows
 * the camera (also used, with the sky/ground fill, while the environment is being built).
 */
const PRESETS: Record<LightingPreset, { environment: number; rotationY: number; key: number; keyAt: [number, number, number]; fill: number; standInKey: number }> = {
  studio: { environment: 1, rotationY: 0, key: 0.5, keyAt: [0.6, 1, 0.8], fill: 4, standInKey: 2.2 },
  soft: { environment: 1.35, rotationY: 0, key: 0, keyAt: [0.6, 1, 0.8], fill: 5, standInKey: 0.6 },
  contrast: { environment: 0.3, rotationY: Math.PI / 2, key: 3.2, keyAt: [1, 0.55, 0.1], fill: 1.2, standInKey: 3.4 },
};

export class Stage {
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  readonly camera = new PerspectiveCamera(38, 1, 0.01, 1000);
  readonly controls: OrbitControls;
  readonly grid = new GroundGrid();
  /** Holds the current model; everything in it belongs to the model and is disposed with it. */
  readonly modelRoot = new Group();
  private readonly simpleLights = new Group();
  /** Follows the camera; stays on (dimmer) under the environment to give shapes some modelling. */
  private readonly keyLight = new DirectionalLight(0xffffff, 2.2);
  private readonly hemisphere = new HemisphereLight(0xf4f6ff, 0x6a625a, 4);
  private environment: WebGLRenderTarget | null = null;
  private lighting: LightingPreset = 'studio';

  constructor(readonly canvasHost: HTMLElement) {
    this.renderer = new WebGLRenderer({ antialias: true, alpha: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.setClearColor(0x000000, 0);
    this.renderer.toneMapping = NeutralToneMapping;
    // Shader error checks read compile status back synchronously: slow on software GL, dev only.
    this.renderer.debug.checkShaderErrors = import.meta.env.DEV;
    const canvas = this.renderer.domElement;
    canvas.className = 'mv-canvas';
    canvasHost.appendChild(canvas);

    this.camera.position.set(2.2, 1.6, 4);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.autoRotateSpeed = 2;
    this.controls.screenSpacePanning = true;
    this.controls.listenToKeyEvents(canvasHost); // arrow keys pan when the view has focus

    // Stand-in lighting for the first frames: a sky/ground fill and a key light that follows the camera.
    this.camera.add(this.keyLight);
    this.simpleLights.add(this.hemisphere);
    this.setLighting('studio');
    this.scene.add(this.simpleLights, this.camera, this.grid, this.modelRoot);
  }

  get hasEnvironment(): boolean {
    return this.environment !== null;
  }

  /** Switches from the stand-in lights to image-based lighting. */
  useEnvironment(target: WebGLRenderTarget): void {
    this.environment = target;
    this.scene.environment = target.texture;
    this.simpleLights.visible = false;
    this.setLighting(this.lighting);
  }

  setLighting(preset: LightingPreset): void {
    this.lighting = preset;
    const p = PRESETS[preset];
    this.keyLight.position.set(...p.keyAt);
    this.keyLight.intensity = this.environment ? p.key : p.standInKey;
    this.hemisphere.intensity = p.fill;
    this.scene.environmentIntensity = p.environment;
    this.scene.environmentRotation.set(0, p.rotationY, 0);
  }

  /** Exposure in stops (0 = neutral). */
  setExposure(stops: number): void {
    this.renderer.toneMappingExposure = 2 ** stops;
  }

  setSize(width: number, height: number): void {
    // Re-read the pixel ratio: the window may have moved to a screen with another density.
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
  }

  /** Releases the GPU objects the stage owns; the caller has already disposed the model. */
  disposeOwned(): void {
    this.controls.dispose();
    this.grid.dispose();
    this.environment?.dispose();
    this.environment = null;
    this.scene.environment = null;
  }

  /** Drops the WebGL context at once rather than waiting for garbage collection (browsers cap contexts). */
  disposeRenderer(): void {
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.renderer.domElement.remove();
  }
}
