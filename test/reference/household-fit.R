# Stan reference posterior for the household model (docs/model.md, "Household effect").
# Run offline, once, after node test/reference/household-make-data.mjs:
#
#   Rscript test/reference/household-fit.R > test/reference/household-one-district/fit.log 2>&1
#
# Prepares the data exactly as fit.R does (its prepare(), sourced), adds the households
# with two or more students in the fit (sorted ids, as our prepareAbsenceModel), fits
# household-model.stan with fit.R's settings (4 chains x (1000 warmup + 2000 draws), seed
# 20261123, adapt_delta 0.8 -> 0.95 -> 0.99 while Stan diverges) and writes
# household-one-district/stan-household.json (not stan.json: the plain model's reference
# tests read every stan.json) and effect_parameter_draws.csv.

Sys.setenv(FIT_R_DEFINE_ONLY = "1")
args_all <- commandArgs(trailingOnly = FALSE)
script_path <- sub("^--file=", "", args_all[grep("^--file=", args_all)])
HERE <- if (length(script_path) == 1) dirname(normalizePath(script_path)) else "test/reference"
source(file.path(HERE, "fit.R"))
HERE <- if (length(script_path) == 1) dirname(normalizePath(script_path)) else "test/reference"

case <- "household-one-district"
dir <- file.path(HERE, case)
prep <- prepare(file.path(dir, "data.csv"))
d <- prep$d
sizes <- table(d$household)
shared <- sort(names(sizes)[sizes >= 2], method = "radix")
data <- prep$data
data$D <- NULL
data$district <- NULL
data$H <- length(shared)
data$hh <- ifelse(d$household %in% shared, match(d$household, shared), 0L)

t <- system.time(mod <- stan_model(file = file.path(HERE, "household-model.stan"), model_name = "household", boost_lib = BOOST))
cat(sprintf("compiled in %.1f s; N %d, K %d, H %d\n", t["elapsed"], data$N, data$K, data$H))
attempts <- list()
for (ad in ADAPT_DELTAS) {
  tt <- system.time(
    fit <- sampling(mod, data = data, chains = CHAINS, warmup = WARMUP, iter = WARMUP + DRAWS, seed = SEED,
                    cores = CORES, refresh = 0, control = list(adapt_delta = ad, max_treedepth = 10))
  )
  sp <- get_sampler_params(fit, inc_warmup = FALSE)
  div <- sum(sapply(sp, function(x) sum(x[, "divergent__"])))
  cat(sprintf("adapt_delta %.2f: %d divergences, %.1f s\n", ad, div, tt["elapsed"]))
  attempts[[length(attempts) + 1]] <- list(adapt_delta = ad, divergences = div, wall_seconds = unname(tt["elapsed"]),
                                           stepsize = sapply(sp, function(x) x[1, "stepsize__"]),
                                           mean_treedepth = mean(unlist(lapply(sp, function(x) x[, "treedepth__"]))))
  if (div == 0) break
}
final <- attempts[[length(attempts)]]
sims <- as.array(fit)
mon <- monitor(sims, warmup = 0, print = FALSE)
mon <- as.data.frame(unclass(mon)[c("mean", "sd", "Q5", "Q50", "Q95", "Rhat", "Bulk_ESS", "Tail_ESS")], row.names = rownames(mon))
params <- list()
for (p in rownames(mon)) {
  if (p == "lp__" || startsWith(p, "z_household")) next
  r <- mon[p, ]
  params[[label_param(p, prep)]] <- list(mean = r$mean, sd = r$sd, q05 = r$Q5, q50 = r$Q50, q95 = r$Q95,
                                         rhat = r$Rhat, ess_bulk = r$Bulk_ESS, ess_tail = r$Tail_ESS)
}
draws <- as.vector(sims[, , "theta"])
effect <- 1 - exp(draws)

# Days avoided: mean over treated students of e exp(alpha + gamma z + delta m + sigma z_h) (1 - exp(theta)).
post <- rstan::extract(fit, permuted = FALSE)
S <- dim(post)[1] * dim(post)[2]
flat <- matrix(post, nrow = S, ncol = dim(post)[3], dimnames = list(NULL, dimnames(post)[[3]]))
cn <- colnames(flat)
tr <- which(data$treat == 1)
e_tr <- exp(data$log_e[tr])
alpha_cols <- match(sprintf("alpha[%d]", data$blk[tr]), cn)
hh_tr <- data$hh[tr]
z_cols <- match(sprintf("z_household[%d]", hh_tr), cn)
da <- numeric(S)
for (s in seq_len(S)) {
  row <- flat[s, ]
  lin <- row[alpha_cols]
  if (data$has_gamma == 1) lin <- lin + row["gamma[1]"] * data$z[tr]
  if (data$has_delta == 1) lin <- lin + row["delta[1]"] * data$m[tr]
  lin <- lin + ifelse(hh_tr > 0, row["sigma_household"] * row[z_cols], 0)
  da[s] <- mean(e_tr * exp(lin) * (1 - exp(row["theta"])))
}

out <- list(
  case = case, stan_version = stan_version(), rstan_version = as.character(packageVersion("rstan")),
  stan_program = "household-model.stan", chains = CHAINS, warmup = WARMUP, draws_per_chain = DRAWS,
  adapt_delta = final$adapt_delta, max_treedepth = 10L, seed = SEED,
  prior = list(effect_parameter = list(mean = PRIOR_THETA_MEAN, sd = PRIOR_THETA_SD), sigma_household = "half-normal(0, 0.5)"),
  n_students_in_file = prep$summary$n_students_in_file, n_students_in_fit = data$N, n_blocks = data$K,
  n_households_with_term = data$H,
  data_preparation = prep$summary[c("attrition_e0", "n_rounded_half_days", "n_treatment_in_fit", "n_control_in_fit")],
  effect_parameter = "theta", effect_parameter_summary = qs(draws), effect_summary = qs(effect),
  p_effect_gt_0 = mean(effect > 0), "p_effect_gt_0.05" = mean(effect > 0.05),
  days_avoided = list(per_treated_student = qs(da), n_treated_in_fit = length(tr)),
  parameters = params,
  rhat_max = max(mon$Rhat[rownames(mon) != "lp__"]), ess_bulk_min = min(mon$Bulk_ESS[rownames(mon) != "lp__"]),
  divergences = final$divergences, wall_seconds = final$wall_seconds, ess_bulk_effect_parameter = mon["theta", "Bulk_ESS"],
  attempts = attempts,
  machine = list(nproc = parallel::detectCores(), date_utc = format(Sys.time(), tz = "UTC", usetz = TRUE))
)
write_json(out, file.path(dir, "stan-household.json"), auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null", na = "null")
writeLines(c("theta", sprintf("%.10g", draws)), file.path(dir, "effect_parameter_draws.csv"))
cat(sprintf("theta: mean %.4f sd %.4f | P(effect>0) %.3f | sigma_household %.3f | rhat_max %.4f\n",
            mean(draws), sd(draws), mean(effect > 0), mon["sigma_household", "mean"], out$rhat_max))
