// The standard absence model, one district, with the household random effect
// (docs/model.md, "Household effect"). rstan 2.21 syntax. hh[i] is the household of
// student i among the H households with two or more students in the fit, 0 for a
// student alone in a household (no term).
data {
  int<lower=1> N;
  int<lower=1> K;
  int<lower=0> H;
  int<lower=0> y[N];
  vector[N] log_e;
  int<lower=0, upper=1> treat[N];
  int<lower=1, upper=K> blk[N];
  int<lower=0, upper=H> hh[N];
  vector[N] z;
  vector[N] m;
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
  real<lower=0> sigma_household;
  vector[H] z_household;
}
model {
  vector[N] eta = log_e + alpha[blk] + theta * tr;
  if (has_gamma) eta += gamma[1] * z;
  if (has_delta) eta += delta[1] * m;
  for (i in 1:N) if (hh[i] > 0) eta[i] += sigma_household * z_household[hh[i]];
  alpha ~ normal(-3, 2);
  gamma ~ normal(0, 1);
  delta ~ normal(0, 1);
  phi ~ gamma(0.01, 0.01);
  theta ~ normal(prior_theta_mean, prior_theta_sd);
  sigma_household ~ normal(0, 0.5);
  z_household ~ std_normal();
  y ~ neg_binomial_2_log(eta, phi);
}
