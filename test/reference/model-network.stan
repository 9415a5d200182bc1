// The standard absence model, two or more districts: partial pooling of the
// effect, non-centered (docs/model.md). rstan 2.21 syntax.
// has_gamma / has_delta implement the spec's drop rules (length-0 vectors).
data {
  int<lower=1> N;                       // students in the fit (e > 0)
  int<lower=1> K;                       // randomization blocks
  int<lower=2> D;                       // districts
  int<lower=0> y[N];                    // whole days absent (half days rounded up)
  vector[N] log_e;                      // log days enrolled
  int<lower=0, upper=1> treat[N];
  int<lower=1, upper=K> blk[N];
  int<lower=1, upper=D> district[N];
  vector[N] z;                          // standardized baseline (0 if missing)
  vector[N] m;                          // 1 if baseline missing
  int<lower=0, upper=1> has_gamma;
  int<lower=0, upper=1> has_delta;
  real prior_theta_mean;                // prior on mu_theta
  real<lower=0> prior_theta_sd;
}
transformed data {
  vector[N] tr = to_vector(treat);
}
parameters {
  vector[K] alpha;
  vector[has_gamma] gamma;
  vector[has_delta] delta;
  real mu_theta;
  real<lower=0> tau;
  vector[D] eta;
  real<lower=0> phi;
}
transformed parameters {
  vector[D] theta = mu_theta + tau * eta;
}
model {
  vector[N] lp = log_e + alpha[blk] + theta[district] .* tr;
  if (has_gamma) lp += gamma[1] * z;
  if (has_delta) lp += delta[1] * m;
  alpha ~ normal(-3, 2);
  gamma ~ normal(0, 1);
  delta ~ normal(0, 1);
  phi ~ gamma(0.01, 0.01);
  mu_theta ~ normal(prior_theta_mean, prior_theta_sd);
  tau ~ normal(0, 0.1);                 // half-normal through <lower=0>
  eta ~ normal(0, 1);
  y ~ neg_binomial_2_log(lp, phi);
}
