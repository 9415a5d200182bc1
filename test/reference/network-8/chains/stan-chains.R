# Stan chains on network-8 at adapt_delta 0.8, 1000 warmup + 1000 draws, N_CHAINS chains,
# run as batches of 2 chains (cores = 2) with seeds SEED0 + batch. Data preparation and
# compiled program come from test/reference/fit.R (sourced with FIT_R_DEFINE_ONLY=1).
#   Rscript test/reference/network-8/chains/stan-chains.R [n_chains] [first_batch] [out]   (defaults 20, 0, stan-chains.json beside this script)
# (from the repository root)
# Batch b uses seed SEED0 + b with chain ids 1 and 2.
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
Sys.setenv(FIT_R_DEFINE_ONLY = "1")
here <- "test/reference"
sys.source(file.path(here, "fit.R"), envir = environment())
HERE <- here
args <- commandArgs(trailingOnly = TRUE)
N_CHAINS <- if (length(args) >= 1) as.integer(args[1]) else 20L
FIRST_BATCH <- if (length(args) >= 2) as.integer(args[2]) else 0L
OUT <- if (length(args) >= 3) args[3] else "test/reference/network-8/chains/stan-chains.json"
SEED0 <- 20261123L
prep <- prepare(file.path(HERE, "network-8", "data.csv"))
stopifnot(prep$data$N == 7512, prep$data$K == 49, prep$data$D == 8)
cm <- compile_model("network")
cat(sprintf("compiled in %.1f s\n", cm$seconds)); flush.console()
chains <- list()
batch <- FIRST_BATCH
while (length(chains) < N_CHAINS) {
  seed <- SEED0 + batch
  t <- system.time(fit <- sampling(cm$model, data = prep$data, chains = 2L, warmup = 1000L, iter = 2000L,
                                   seed = seed, cores = 2L, refresh = 0,
                                   control = list(adapt_delta = 0.8, max_treedepth = 10)))
  sp <- get_sampler_params(fit, inc_warmup = FALSE)
  ainfo <- get_adaptation_info(fit)
  for (c in seq_along(sp)) {
    x <- sp[[c]]
    # adaptation info text: "# Step size = ...\n# Diagonal elements of inverse mass matrix:\n# a, b, ..."
    lines <- strsplit(ainfo[[c]], "\n")[[1]]
    stepsize_info <- as.numeric(sub(".*= *", "", grep("Step size", lines, value = TRUE)))
    il <- grep("Diagonal elements", lines)
    inv_metric <- as.numeric(strsplit(sub("^# *", "", lines[il + 1]), ",")[[1]])
    chains[[length(chains) + 1]] <- list(
      seed = seed, chain_id = c, stepsize = unname(x[1, "stepsize__"]), stepsize_adaptation_info = stepsize_info,
      divergences = sum(x[, "divergent__"]), mean_treedepth = mean(x[, "treedepth__"]),
      treedepth_saturated = sum(x[, "treedepth__"] >= 10), mean_accept_stat = mean(x[, "accept_stat__"]),
      mean_n_leapfrog = mean(x[, "n_leapfrog__"]), inv_metric = inv_metric)
    ch <- chains[[length(chains)]]
    cat(sprintf("%s chain %2d (seed %d id %d): stepsize %.4f div %d treedepth %.3f accept %.3f  [%.0f s]\n",
                format(Sys.time(), "%H:%M:%S"), length(chains), seed, c, ch$stepsize, ch$divergences,
                ch$mean_treedepth, ch$mean_accept_stat, unname(t["elapsed"])))
    flush.console()
  }
  batch <- batch + 1L
  write_json(list(case = "network-8", adapt_delta = 0.8, warmup = 1000, draws = 1000, max_treedepth = 10,
                  rstan_version = as.character(packageVersion("rstan")), stan_version = stan_version(),
                  param_names = fit@sim$pars_oi, unconstrained_order = "alpha[1..K], gamma, delta, mu_theta, log(tau), eta[1..D], log(phi)",
                  chains = chains),
             OUT, auto_unbox = TRUE, pretty = TRUE, digits = NA)
}
cat("done\n")
