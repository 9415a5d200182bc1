// The subgroup model (docs/model.md, "Subgroups"), one district or a network.
// rstan 2.21 syntax. The standard absence model's terms (model-one-district.stan,
// model-network.stan), and for a treated student in level l_g of each factor g the
// effect theta[d] + sum_g subgroup_tau[g] * subgroup_z[l_g]: additive across factors,
// partially pooled within each, non-centered.
data {
  int<lower=1> N;
  int<lower=1> K;
  int<lower=1> D;
  int<lower=0, upper=1> network;        // 1: mu_theta + tau * eta[d]; 0: one theta
  int<lower=0> y[N];
  vector[N] log_e;
  int<lower=0, upper=1> treat[N];
  int<lower=1, upper=K> blk[N];
  int<lower=1, upper=D> district[N];
  vector[N] z;
  vector[N] m;
  int<lower=0, upper=1> has_gamma;
  int<lower=0, upper=1> has_delta;
  real prior_theta_mean;
  real<lower=0> prior_theta_sd;
  int<lower=1> G;                       // subgroup factors
  int<lower=1> L;                       // levels, all factors together
  int<lower=1, upper=G> level_factor[L];
  int<lower=1, upper=L> lvl[N, G];      // each student's level in each factor
  real<lower=0> subgroup_tau_scale;
}
transformed data {
  vector[N] tr = to_vector(treat);
}
parameters {
  vector[K] alpha;
  vector[has_gamma] gamma;
  vector[has_delta] delta;
  real effect_parameter;                // theta (one district) or mu_theta (network)
  vector<lower=0>[network] tau;
  vector[network ? D : 0] eta;
  real<lower=0> phi;
  vector<lower=0>[G] subgroup_tau;
  vector[L] subgroup_z;
}
transformed parameters {
  vector[D] theta;
  vector[L] level_effect = subgroup_tau[level_factor] .* subgroup_z;
  if (network) theta = effect_parameter + tau[1] * eta;
  else theta = rep_vector(effect_parameter, D);
}
model {
  vector[N] effect_i = theta[district];
  vector[N] lp;
  for (g in 1:G) effect_i += level_effect[lvl[, g]];
  lp = log_e + alpha[blk] + effect_i .* tr;
  if (has_gamma) lp += gamma[1] * z;
  if (has_delta) lp += delta[1] * m;
  alpha ~ normal(-3, 2);
  gamma ~ normal(0, 1);
  delta ~ normal(0, 1);
  phi ~ gamma(0.01, 0.01);
  effect_parameter ~ normal(prior_theta_mean, prior_theta_sd);
  tau ~ normal(0, 0.1);
  eta ~ normal(0, 1);
  subgroup_tau ~ normal(0, subgroup_tau_scale);
  subgroup_z ~ normal(0, 1);
  y ~ neg_binomial_2_log(lp, phi);
}
