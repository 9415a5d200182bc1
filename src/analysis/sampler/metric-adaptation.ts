/**
 * Stan's windowed metric adaptation (`windowed_adaptation`, `var_adaptation`,
 * `covar_adaptation`): after an initial buffer of 75 warmup iterations, the posterior
 * (co)variance is estimated over windows of 25, 50, 100, ... iterations (the last one
 * stretched to end where the terminal buffer of 50 begins), and each window's estimate,
 * shrunk towards 1e-3 times the identity, becomes the next inverse metric.
 */
export class MetricAdaptation {
  readonly dense: boolean;
  private readonly n: number;
  private readonly numWarmup: number;
  private initBuffer = 75;
  private termBuffer = 50;
  private baseWindow = 25;
  private windowCounter = 0;
  private windowSize: number;
  private nextWindow: number;
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  readonly enabled: boolean;

  constructor(n: number, numWarmup: number, dense: boolean) {
    this.n = n;
    this.dense = dense;
    this.numWarmup = numWarmup;
    // Stan: too short a warmup for the default buffers is split 15% / 75% / 10%.
    this.enabled = numWarmup >= 20;
    if (this.enabled && this.initBuffer + this.baseWindow + this.termBuffer > numWarmup) {
      this.initBuffer = Math.floor(0.15 * numWarmup);
      this.termBuffer = Math.floor(0.1 * numWarmup);
      this.baseWindow = numWarmup - (this.initBuffer + this.termBuffer);
    }
    this.windowSize = this.baseWindow;
    this.nextWindow = this.initBuffer + this.windowSize - 1;
    this.mean = new Float64Array(n);
    this.m2 = new Float64Array(dense ? n * n : n);
  }

  private inWindow(): boolean {
    return (
      this.windowCounter >= this.initBuffer &&
      this.windowCounter < this.numWarmup - this.termBuffer &&
      this.windowCounter !== this.numWarmup
    );
  }

  private endOfWindow(): boolean {
    return this.windowCounter === this.nextWindow && this.windowCounter !== this.numWarmup;
  }

  private computeNextWindow(): void {
    if (this.nextWindow === this.numWarmup - this.termBuffer - 1) return;
    this.windowSize *= 2;
    this.nextWindow = this.windowCounter + this.windowSize;
    if (this.nextWindow !== this.numWarmup - this.termBuffer - 1) {
      const nextBoundary = this.nextWindow + 2 * this.windowSize;
      if (nextBoundary >= this.numWarmup - this.termBuffer) this.nextWindow = this.numWarmup - this.termBuffer - 1;
    }
  }

  /** Welford's online update of the mean and (co)variance. */
  private addSample(q: Float64Array): void {
    this.count++;
    const n = this.n;
    if (!this.dense) {
      for (let i = 0; i < n; i++) {
        const delta = q[i] - this.mean[i];
        this.mean[i] += delta / this.count;
        this.m2[i] += delta * (q[i] - this.mean[i]);
      }
      return;
    }
    const delta = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      delta[i] = q[i] - this.mean[i];
      this.mean[i] += delta[i] / this.count;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) this.m2[i * n + j] += delta[i] * (q[j] - this.mean[j]);
  }

  /**
   * Called once per warmup iteration with the new position. Returns the new inverse
   * metric at the end of a window (the caller then re-initializes the step size), else undefined.
   */
  learn(q: Float64Array): Float64Array | undefined {
    if (!this.enabled) return undefined;
    if (this.inWindow()) this.addSample(q);
    if (this.endOfWindow()) {
      this.computeNextWindow();
      const n = this.n;
      const count = this.count;
      // Stan's regularization: (n / (n + 5)) Sigma + 1e-3 (5 / (n + 5)) I.
      const shrink = count / (count + 5);
      const ridge = 1e-3 * (5 / (count + 5));
      const result = new Float64Array(this.m2.length);
      for (let i = 0; i < result.length; i++) result[i] = shrink * (this.m2[i] / (count - 1));
      if (this.dense) for (let i = 0; i < n; i++) result[i * n + i] += ridge;
      else for (let i = 0; i < n; i++) result[i] += ridge;
      this.count = 0;
      this.mean.fill(0);
      this.m2.fill(0);
      this.windowCounter++;
      return result;
    }
    this.windowCounter++;
    return undefined;
  }
}
