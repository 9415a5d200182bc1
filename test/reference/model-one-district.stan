// The standard absence model, one district (docs/model.md).
// rstan 2.21 syntax. has_gamma / has_delta implement the spec's drop rules:
// when 0, the parameter vector has length 0 and does not exist in the fit.
data {
  int<lower=1> N;                       // students in the fit (e > 0)
  int<lower=1> K;                       // randomization blocks
  int<lower=0> y[N];                    // whole days absent (half days rounded up)
  vector[N] log_e;                      // log days enrolled
  int<lower=0, upper=1> treat[N];
  int<lower=1, upper=K> blk[N];
  vector[N] z;                          // standardized baseline (0 if missing)
  vector[N] m;                          // 1 if baseline missing
  int<lower=0, upper=1> has_gamma;
  int<lower=0, upper=1> has_delta;
  real prior_theta_mean;
  real<lower=0> prior_theta_sd;
}
transformed data {
  vector[N] tr = to_vector(treat);
}
parameters {
  vector[K] alpha;
  vector[has_gamma] gamma;
  vector[has_delta] delta;
  real theta;
  real<lower=0> phi;
}
model {
  vector[N] eta = log_e + alpha[blk] + theta * tr;
  if (has_gamma) eta += gamma[1] * z;
  if (has_delta) eta += delta[1] * m;
  alpha ~ normal(-3, 2);
  gamma ~ normal(0, 1);
  delta ~ normal(0, 1);
  phi ~ gamma(0.01, 0.01);
  theta ~ normal(prior_theta_mean, prior_theta_sd);
  y ~ neg_binomial_2_log(eta, phi);
}
