/**
 * Dual averaging of the log step size towards a target acceptance statistic (Nesterov
 * 2009; Hoffman and Gelman 2014, sec. 3.2.1), with Stan's defaults: gamma 0.05, t0 10,
 * kappa 0.75, and `mu = log(10 epsilon)` reset at every metric update.
 */
export class StepSizeAdaptation {
  mu = Math.log(10);
  readonly delta: number;
  readonly gamma = 0.05;
  readonly t0 = 10;
  readonly kappa = 0.75;
  private counter = 0;
  private sBar = 0;
  private xBar = 0;

  constructor(delta: number) {
    this.delta = delta;
  }

  restart(): void {
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
  }

  /** Learns from one transition's acceptance statistic; returns the next step size. */
  learn(acceptStat: number): number {
    this.counter++;
    const adaptStat = Math.min(1, acceptStat);
    const eta = 1 / (this.counter + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - adaptStat);
    const x = this.mu - (this.sBar * Math.sqrt(this.counter)) / this.gamma;
    const xEta = this.counter ** -this.kappa;
    this.xBar = (1 - xEta) * this.xBar + xEta * x;
    return Math.exp(x);
  }

  /** The step size used after warmup: the averaged iterate `exp(x_bar)`. */
  finalStepSize(): number {
    return Math.exp(this.xBar);
  }
}
