import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors.js';
import type { RawImage } from './image.js';
import { encodePng } from './png.js';
import type { VisBackend } from './vis-backend.js';

export interface LocalVisBackendOptions {
  save_dir?: string;
  img_save_dir?: string;
  config_save_file?: string;
  scalar_save_file?: string;
  name?: string;
}

/**
 * The default backend: scalars as JSON lines (`scalars.json`, one object per event with its
 * `step`), the config dump and images as PNG under `vis_image/<name>_<step>.png`. Lines are
 * appended with synchronous writes on open descriptors, so an interrupted run loses nothing.
 */
export class LocalVisBackend implements VisBackend {
  readonly name: string | undefined;
  readonly saveDir: string;
  readonly imgSaveDir: string;
  readonly configSaveFile: string;
  readonly scalarSaveFile: string;
  private readonly fds = new Map<string, number>();

  constructor(opts: LocalVisBackendOptions = {}) {
    if (!opts.save_dir)
      throw new ConfigError('LocalVisBackend needs a save_dir', { path: 'visualizer.vis_backends', fix: 'set save_dir, or let the runner set it' });
    this.name = opts.name;
    this.saveDir = opts.save_dir;
    this.imgSaveDir = path.join(this.saveDir, opts.img_save_dir ?? 'vis_image');
    this.configSaveFile = path.join(this.saveDir, opts.config_save_file ?? 'config.json');
    this.scalarSaveFile = path.join(this.saveDir, opts.scalar_save_file ?? 'scalars.json');
    if (!this.scalarSaveFile.endsWith('.json')) {
      throw new ConfigError('scalar_save_file must end with .json', { path: 'visualizer.vis_backends.scalar_save_file', found: opts.scalar_save_file });
    }
  }

  private append(file: string, line: string): void {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fd = fs.openSync(file, 'a');
      this.fds.set(file, fd);
    }
    fs.writeSync(fd, line);
  }

  addConfig(_config: Record<string, unknown>, text: string): void {
    fs.mkdirSync(this.saveDir, { recursive: true });
    fs.writeFileSync(this.configSaveFile, text);
  }

  addImage(name: string, image: RawImage, step: number): void {
    fs.mkdirSync(this.imgSaveDir, { recursive: true });
    fs.writeFileSync(path.join(this.imgSaveDir, `${name}_${step}.png`), encodePng(image));
  }

  addScalar(name: string, value: number, step: number): void {
    this.append(this.scalarSaveFile, `${JSON.stringify({ [name]: value, step })}\n`);
  }

  addScalars(scalars: Record<string, number>, step: number, filePath?: string): void {
    const line = `${JSON.stringify('step' in scalars ? scalars : { ...scalars, step })}\n`;
    if (filePath) {
      if (!filePath.endsWith('.json')) throw new ConfigError('file_path must end with .json', { found: filePath });
      const target = path.join(this.saveDir, filePath);
      if (target !== this.scalarSaveFile) this.append(target, line);
    }
    this.append(this.scalarSaveFile, line);
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
