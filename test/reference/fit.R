# Stan reference posteriors for the standard absence model
# (docs/model.md). Run offline, once; CI does not run R.
#
#   node test/reference/make-data.mjs && Rscript test/reference/fit.R [case ...]
#
# Needs Debian's r-base-core, r-cran-rstan, r-cran-jsonlite and libboost-dev
# (Debian's r-cran-bh has no headers, so Boost is taken from /usr/include).
# For each case: reads <case>/data.csv, prepares the Stan data exactly as the spec
# says, fits 4 chains x (1000 warmup + 2000 draws), escalating adapt_delta
# 0.8 -> 0.95 -> 0.99 while there are divergences, and writes <case>/stan.json,
# <case>/effect_parameter_draws.csv (and a log in <case>/fit.log when run as docs/validation.md shows).

suppressPackageStartupMessages({
  library(rstan)
  library(jsonlite)
})
rstan_options(auto_write = FALSE)

args_all <- commandArgs(trailingOnly = FALSE)
script_path <- sub("^--file=", "", args_all[grep("^--file=", args_all)])
HERE <- if (length(script_path) == 1) dirname(normalizePath(script_path)) else "test/reference"
BOOST <- Sys.getenv("BOOST_INCLUDE", "/usr/include")

CASES <- c("one-district", "one-district-no-baseline", "network-8", "network-small-district")
args <- commandArgs(trailingOnly = TRUE)
if (length(args) > 0) CASES <- args

SEED <- 20261123L
CHAINS <- 4L
WARMUP <- 1000L
DRAWS <- 2000L
CORES <- 2L
ADAPT_DELTAS <- c(0.8, 0.95, 0.99)
PRIOR_THETA_MEAN <- 0
PRIOR_THETA_SD <- 0.5

# ---------- compile (once per program, timed) ----------
compiled <- list()
compile_model <- function(kind) {
  if (!is.null(compiled[[kind]])) return(compiled[[kind]])
  file <- file.path(HERE, sprintf("model-%s.stan", kind))
  t <- system.time(mod <- stan_model(file = file, model_name = kind, boost_lib = BOOST))
  compiled[[kind]] <<- list(model = mod, seconds = unname(t["elapsed"]), file = basename(file))
  compiled[[kind]]
}

# ---------- data preparation, exactly per spec ----------
prepare <- function(path) {
  raw <- read.csv(path, colClasses = c(student_id = "character", block = "character", district = "character"),
                  na.strings = "", stringsAsFactors = FALSE)
  if (!"baseline_absences" %in% names(raw)) raw$baseline_absences <- NA_real_
  if (!"baseline_days" %in% names(raw)) raw$baseline_days <- NA_real_
  n_file <- nrow(raw)
  attr_rows <- raw$e == 0
  attrition <- list(treatment = sum(attr_rows & raw$treat == 1), control = sum(attr_rows & raw$treat == 0))
  d <- raw[!attr_rows, ]
  # fractional (half) days: nearest whole day, halves up
  frac <- d$y != floor(d$y)
  y_int <- floor(d$y + 0.5)
  present <- !is.na(d$baseline_absences) & !is.na(d$baseline_days)
  L <- log((d$baseline_absences + 0.5) / (d$baseline_days + 1))
  z <- rep(0, nrow(d))
  mean_L <- NA_real_
  sd_L <- NA_real_
  if (any(present)) {
    mean_L <- mean(L[present])
    sd_L <- if (sum(present) > 1) sd(L[present]) else NA_real_
    if (!is.na(sd_L) && sd_L > 0) z[present] <- (L[present] - mean_L) / sd_L
  }
  m <- as.numeric(!present)
  has_gamma <- any(present)
  has_delta <- any(present) && any(!present)
  block_levels <- sort(unique(d$block), method = "radix")
  district_levels <- sort(unique(d$district), method = "radix")
  stan_data <- list(
    N = nrow(d), K = length(block_levels), D = length(district_levels),
    y = as.integer(y_int), log_e = log(d$e), treat = as.integer(d$treat),
    blk = match(d$block, block_levels), district = match(d$district, district_levels),
    z = z, m = m, has_gamma = as.integer(has_gamma), has_delta = as.integer(has_delta),
    prior_theta_mean = PRIOR_THETA_MEAN, prior_theta_sd = PRIOR_THETA_SD
  )
  summary <- list(
    n_students_in_file = n_file,
    n_students_in_fit = nrow(d),
    attrition_e0 = attrition,
    n_rounded_half_days = sum(frac),
    rounded_examples = head(data.frame(student_id = d$student_id[frac], y = d$y[frac], y_rounded = y_int[frac]), 5),
    n_missing_baseline_in_fit = sum(!present),
    n_treatment_in_fit = sum(d$treat == 1),
    n_control_in_fit = sum(d$treat == 0),
    has_gamma = has_gamma,
    has_delta = has_delta,
    baseline_L_mean = mean_L,
    baseline_L_sd = sd_L,
    sum_y_rounded = sum(y_int),
    sum_z = sum(z),
    sum_z_squared = sum(z^2),
    block_labels = block_levels,
    district_labels = district_levels
  )
  list(data = stan_data, summary = summary, d = d)
}

qs <- function(x) {
  q <- quantile(x, c(0.05, 0.5, 0.95, 0.025, 0.975), names = FALSE, type = 7)
  list(mean = mean(x), sd = sd(x), q05 = q[1], q50 = q[2], q95 = q[3], q025 = q[4], q975 = q[5])
}

label_param <- function(p, prep) {
  s <- prep$summary
  idx <- suppressWarnings(as.integer(sub("^[a-z_]+\\[([0-9]+)\\]$", "\\1", p)))
  base <- sub("\\[.*$", "", p)
  if (base == "alpha") return(sprintf("alpha[%s]", s$block_labels[idx]))
  if (base %in% c("theta", "eta") && grepl("\\[", p)) return(sprintf("%s[%s]", base, s$district_labels[idx]))
  if (base %in% c("gamma", "delta")) return(base)
  p
}

run_case <- function(case) {
  cat(sprintf("\n=== %s (%s) ===\n", case, format(Sys.time(), "%H:%M:%S")))
  dir <- file.path(HERE, case)
  prep <- prepare(file.path(dir, "data.csv"))
  network <- prep$data$D >= 2
  kind <- if (network) "network" else "one-district"
  eff_par <- if (network) "mu_theta" else "theta"
  cm <- compile_model(kind)
  data <- prep$data
  if (!network) data$D <- NULL
  if (!network) data$district <- NULL

  attempts <- list()
  fit <- NULL
  for (ad in ADAPT_DELTAS) {
    cat(sprintf("  sampling with adapt_delta = %.2f ...\n", ad))
    t <- system.time(
      fit <- sampling(cm$model, data = data, chains = CHAINS, warmup = WARMUP, iter = WARMUP + DRAWS,
                      seed = SEED, cores = CORES, refresh = 0,
                      control = list(adapt_delta = ad, max_treedepth = 10))
    )
    sp <- get_sampler_params(fit, inc_warmup = FALSE)
    div <- sum(sapply(sp, function(x) sum(x[, "divergent__"])))
    tdmax <- sum(sapply(sp, function(x) sum(x[, "treedepth__"] >= 10)))
    wall <- unname(t["elapsed"])
    cat(sprintf("  adapt_delta %.2f: %d divergences, %d at max treedepth, %.1f s\n", ad, div, tdmax, wall))
    attempts[[length(attempts) + 1]] <- list(
      adapt_delta = ad, divergences = div, treedepth_saturated = tdmax, wall_seconds = wall,
      stepsize = sapply(sp, function(x) x[1, "stepsize__"]),
      mean_treedepth = mean(unlist(lapply(sp, function(x) x[, "treedepth__"]))),
      mean_accept_stat = mean(unlist(lapply(sp, function(x) x[, "accept_stat__"])))
    )
    if (div == 0) break
  }
  final <- attempts[[length(attempts)]]

  sims <- as.array(fit) # iterations x chains x parameters
  mon <- monitor(sims, warmup = 0, print = FALSE)
  mon <- as.data.frame(unclass(mon)[c("mean", "sd", "Q5", "Q50", "Q95", "Rhat", "Bulk_ESS", "Tail_ESS")],
                       row.names = rownames(mon))
  params <- list()
  for (p in rownames(mon)) {
    if (p == "lp__") next
    r <- mon[p, ]
    params[[label_param(p, prep)]] <- list(mean = r$mean, sd = r$sd, q05 = r$Q5, q50 = r$Q50, q95 = r$Q95,
                                           rhat = r$Rhat, ess_bulk = r$Bulk_ESS, ess_tail = r$Tail_ESS)
  }
  draws <- as.vector(sims[, , eff_par]) # chain-major: chain 1's 2000 draws, then chain 2's, ...
  effect <- 1 - exp(draws)

  # days avoided (spec): per draw, mean over treated students in the fit of
  # e * exp(alpha[k] + gamma z + delta m) * (1 - exp(theta[d]))
  post <- rstan::extract(fit, permuted = FALSE)
  S <- dim(post)[1] * dim(post)[2]
  flat <- matrix(post, nrow = S, ncol = dim(post)[3], dimnames = list(NULL, dimnames(post)[[3]]))
  tr <- which(data$treat == 1)
  e_tr <- exp(data$log_e[tr])
  cn <- colnames(flat)
  alpha_cols <- match(sprintf("alpha[%d]", data$blk[tr]), cn)
  theta_cols <- match(if (network) sprintf("theta[%d]", prep$data$district[tr]) else rep("theta", length(tr)), cn)
  gamma_col <- match("gamma[1]", cn)
  delta_col <- match("delta[1]", cn)
  da <- numeric(S)
  for (s in seq_len(S)) {
    row <- flat[s, ]
    lin <- row[alpha_cols]
    if (data$has_gamma == 1) lin <- lin + row[gamma_col] * data$z[tr]
    if (data$has_delta == 1) lin <- lin + row[delta_col] * data$m[tr]
    da[s] <- mean(e_tr * exp(lin) * (1 - exp(row[theta_cols])))
  }

  district_effects <- NULL
  if (network) {
    district_effects <- list()
    for (j in seq_along(prep$summary$district_labels)) {
      lab <- prep$summary$district_labels[j]
      th <- as.vector(sims[, , sprintf("theta[%d]", j)])
      ef <- 1 - exp(th)
      district_effects[[lab]] <- c(list(n_in_fit = sum(prep$data$district == j)), qs(ef),
                                   list(p_effect_gt_0 = mean(ef > 0), p_effect_gt_0.05 = mean(ef > 0.05)))
    }
  }

  ess_eff <- mon[eff_par, "Bulk_ESS"]
  out <- list(
    case = case,
    stan_version = stan_version(),
    rstan_version = as.character(packageVersion("rstan")),
    r_version = paste(R.version$major, R.version$minor, sep = "."),
    stan_program = cm$file,
    chains = CHAINS,
    warmup = WARMUP,
    draws_per_chain = DRAWS,
    adapt_delta = final$adapt_delta,
    max_treedepth = 10L,
    seed = SEED,
    cores = CORES,
    prior = list(effect_parameter = list(mean = PRIOR_THETA_MEAN, sd = PRIOR_THETA_SD)),
    n_students_in_file = prep$summary$n_students_in_file,
    n_students_in_fit = prep$data$N,
    n_blocks = prep$data$K,
    n_districts = prep$data$D,
    has_gamma = prep$summary$has_gamma,
    has_delta = prep$summary$has_delta,
    data_preparation = prep$summary[c("attrition_e0", "n_rounded_half_days", "n_missing_baseline_in_fit",
                                      "n_treatment_in_fit", "n_control_in_fit", "baseline_L_mean",
                                      "baseline_L_sd", "sum_y_rounded", "sum_z", "sum_z_squared")],
    effect_parameter = eff_par,
    effect_parameter_summary = qs(draws),
    effect_summary = qs(effect),
    p_effect_gt_0 = mean(effect > 0),
    "p_effect_gt_0.05" = mean(effect > 0.05),
    district_effects = district_effects,
    days_avoided = list(per_treated_student = qs(da), per_100_treated_students_mean = 100 * mean(da),
                        n_treated_in_fit = length(tr)),
    parameters = params,
    rhat_max = max(mon$Rhat[rownames(mon) != "lp__"]),
    ess_bulk_min = min(mon$Bulk_ESS[rownames(mon) != "lp__"]),
    ess_tail_min = min(mon$Tail_ESS[rownames(mon) != "lp__"]),
    divergences = final$divergences,
    treedepth_saturated = final$treedepth_saturated,
    wall_seconds = final$wall_seconds,
    compile_seconds = cm$seconds,
    ess_bulk_effect_parameter = ess_eff,
    ess_per_second_effect_parameter = ess_eff / final$wall_seconds,
    attempts = attempts,
    quantile_definition = "R quantile type 7 over the pooled 8000 post-warmup draws",
    draws_order = "effect_parameter_draws.csv: chain 1's 2000 draws, then chain 2, 3, 4",
    machine = list(nproc = parallel::detectCores(), date_utc = format(Sys.time(), tz = "UTC", usetz = TRUE))
  )
  write_json(out, file.path(dir, "stan.json"), auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null", na = "null")
  writeLines(c(eff_par, sprintf("%.10g", draws)), file.path(dir, "effect_parameter_draws.csv"))
  cat(sprintf("  %s: mean %.4f sd %.4f | effect mean %.4f, P(effect>0) %.3f | ESS %.0f, %.1f ESS/s, rhat_max %.4f\n",
              eff_par, mean(draws), sd(draws), mean(effect), mean(effect > 0), ess_eff,
              ess_eff / final$wall_seconds, out$rhat_max))
  invisible(out)
}

# time-stan.R sources this file for prepare() and compile_model() without fitting.
if (!identical(Sys.getenv("FIT_R_DEFINE_ONLY"), "1")) for (case in CASES) run_case(case)
