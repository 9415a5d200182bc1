# Stan reference posteriors for the subgroup model (docs/model.md, "Subgroups";
# docs/validation.md). Run offline, once; CI does not run R.
#
#   node test/reference/subgroup-make-data.mjs && Rscript test/reference/subgroup-fit.R [case ...]
#
# Reuses fit.R's data preparation (the standard model's, exactly per spec) and adds each
# student's subgroup levels from <case>/levels.csv, levels sorted by name within a
# factor (as pilot sorts them). Fits subgroup-model.stan with fit.R's settings
# (4 chains x (1000 warmup + 2000 draws), seed 20261123, adapt_delta 0.8 -> 0.95 ->
# 0.99 while there are divergences) and writes <case>/stan-subgroups.json and
# <case>/subgroup_effect_draws.csv (the level effects, chain-major).

Sys.setenv(FIT_R_DEFINE_ONLY = "1")
args_all <- commandArgs(trailingOnly = FALSE)
script_path <- sub("^--file=", "", args_all[grep("^--file=", args_all)])
HERE <- if (length(script_path) == 1) dirname(normalizePath(script_path)) else "test/reference"
source(file.path(HERE, "fit.R"))
HERE <- if (length(script_path) == 1) dirname(normalizePath(script_path)) else "test/reference"

SUBGROUP_CASES <- c("subgroup-one-district", "subgroup-network")
args <- commandArgs(trailingOnly = TRUE)
if (length(args) > 0) SUBGROUP_CASES <- args
SUBGROUP_TAU_SCALE <- 0.1

run_subgroup_case <- function(case, model) {
  cat(sprintf("\n=== %s (%s) ===\n", case, format(Sys.time(), "%H:%M:%S")))
  dir <- file.path(HERE, case)
  prep <- prepare(file.path(dir, "data.csv"))
  levels_file <- read.csv(file.path(dir, "levels.csv"), colClasses = "character", stringsAsFactors = FALSE)
  factors <- setdiff(names(levels_file), "student_id")
  kept <- levels_file[match(prep$d$student_id, levels_file$student_id), ]
  level_names <- list()
  lvl <- matrix(0L, nrow = nrow(kept), ncol = length(factors))
  level_factor <- integer(0)
  offset <- 0L
  for (g in seq_along(factors)) {
    names_g <- sort(unique(kept[[factors[g]]]), method = "radix")
    level_names[[factors[g]]] <- names_g
    lvl[, g] <- offset + match(kept[[factors[g]]], names_g)
    level_factor <- c(level_factor, rep(g, length(names_g)))
    offset <- offset + length(names_g)
  }
  data <- prep$data
  network <- data$D >= 2
  data$network <- as.integer(network)
  data$G <- length(factors)
  data$L <- offset
  data$level_factor <- level_factor
  data$lvl <- lvl
  data$subgroup_tau_scale <- SUBGROUP_TAU_SCALE
  eff_par <- if (network) "mu_theta" else "theta"

  attempts <- list()
  for (ad in ADAPT_DELTAS) {
    cat(sprintf("  sampling with adapt_delta = %.2f ...\n", ad))
    t <- system.time(
      fit <- sampling(model$model, data = data, chains = CHAINS, warmup = WARMUP, iter = WARMUP + DRAWS,
                      seed = SEED, cores = CORES, refresh = 0,
                      control = list(adapt_delta = ad, max_treedepth = 10))
    )
    sp <- get_sampler_params(fit, inc_warmup = FALSE)
    div <- sum(sapply(sp, function(x) sum(x[, "divergent__"])))
    cat(sprintf("  adapt_delta %.2f: %d divergences, %.1f s\n", ad, div, unname(t["elapsed"])))
    attempts[[length(attempts) + 1]] <- list(adapt_delta = ad, divergences = div, wall_seconds = unname(t["elapsed"]))
    if (div == 0) break
  }
  final <- attempts[[length(attempts)]]
  sims <- as.array(fit)
  mon <- monitor(sims, warmup = 0, print = FALSE)
  mon <- as.data.frame(unclass(mon)[c("mean", "sd", "Q5", "Q50", "Q95", "Rhat", "Bulk_ESS", "Tail_ESS")], row.names = rownames(mon))
  level_labels <- unlist(lapply(factors, function(f) sprintf("%s=%s", f, level_names[[f]])))
  label <- function(p) {
    idx <- suppressWarnings(as.integer(sub("^[a-z_]+\\[([0-9]+)\\]$", "\\1", p)))
    base <- sub("\\[.*$", "", p)
    if (base == "effect_parameter") return(eff_par)
    if (base == "subgroup_tau") return(sprintf("subgroup_tau[%s]", factors[idx]))
    if (base == "subgroup_z") return(sprintf("subgroup_z[%s]", level_labels[idx]))
    if (base == "level_effect") return(sprintf("level_effect[%s]", level_labels[idx]))
    if (base == "tau") return("tau")
    if (base == "theta" && !network) return(NULL)
    label_param(p, prep)
  }
  params <- list()
  for (p in rownames(mon)) {
    if (p == "lp__") next
    name <- label(p)
    if (is.null(name)) next
    r <- mon[p, ]
    params[[name]] <- list(mean = r$mean, sd = r$sd, q05 = r$Q5, q50 = r$Q50, q95 = r$Q95,
                           rhat = r$Rhat, ess_bulk = r$Bulk_ESS, ess_tail = r$Tail_ESS)
  }
  theta_draws <- as.vector(sims[, , "effect_parameter"])
  levels_out <- list()
  draws_out <- list()
  for (j in seq_along(level_labels)) {
    effect <- 1 - exp(theta_draws + as.vector(sims[, , sprintf("level_effect[%d]", j)]))
    g <- level_factor[j]
    in_level <- lvl[, g] == j
    levels_out[[level_labels[j]]] <- c(qs(effect), list(p_effect_gt_0 = mean(effect > 0), "p_effect_gt_0.05" = mean(effect > 0.05),
                                                        n_treatment = sum(in_level & data$treat == 1), n_control = sum(in_level & data$treat == 0)))
    draws_out[[level_labels[j]]] <- sprintf("%.6g", effect)
  }
  out <- list(
    case = case,
    stan_version = stan_version(),
    rstan_version = as.character(packageVersion("rstan")),
    stan_program = "subgroup-model.stan",
    chains = CHAINS, warmup = WARMUP, draws_per_chain = DRAWS, adapt_delta = final$adapt_delta, seed = SEED,
    prior = list(effect_parameter = list(mean = PRIOR_THETA_MEAN, sd = PRIOR_THETA_SD), subgroup_tau_scale = SUBGROUP_TAU_SCALE),
    n_students_in_fit = data$N, n_blocks = data$K, n_districts = data$D,
    factors = factors, levels = level_names,
    effect_parameter = eff_par,
    effect_parameter_summary = qs(theta_draws),
    level_effects = levels_out,
    parameters = params,
    rhat_max = max(mon$Rhat[rownames(mon) != "lp__"], na.rm = TRUE),
    ess_bulk_min = min(mon$Bulk_ESS[rownames(mon) != "lp__"], na.rm = TRUE),
    divergences = final$divergences,
    wall_seconds = final$wall_seconds,
    attempts = attempts,
    quantile_definition = "R quantile type 7 over the pooled 8000 post-warmup draws",
    draws_order = "subgroup_effect_draws.csv: one column per level, chain 1's 2000 draws, then chain 2, 3, 4",
    machine = list(nproc = parallel::detectCores(), date_utc = format(Sys.time(), tz = "UTC", usetz = TRUE))
  )
  write_json(out, file.path(dir, "stan-subgroups.json"), auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null", na = "null")
  csv <- c(paste(level_labels, collapse = ","), do.call(paste, c(draws_out, sep = ",")))
  writeLines(csv, file.path(dir, "subgroup_effect_draws.csv"))
  cat(sprintf("  %s: mean %.4f sd %.4f | rhat_max %.4f | %d divergences\n", eff_par, mean(theta_draws), sd(theta_draws), out$rhat_max, final$divergences))
}

t <- system.time(model <- stan_model(file = file.path(HERE, "subgroup-model.stan"), model_name = "subgroups", boost_lib = BOOST))
model <- list(model = model, seconds = unname(t["elapsed"]))
for (case in SUBGROUP_CASES) run_subgroup_case(case, model)
