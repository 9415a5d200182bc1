# CPU time of Stan on a reference case, for the benchmark comparison in
# docs/readme-analysis.md. fit.R records wall time, which on a shared machine measures
# the load as much as Stan; this runs the same model, data, settings and seed as fit.R
# (4 chains x (1000 warmup + 2000 draws), adapt_delta from the case's stan.json) with the
# chains one after another in this process, and records user + system CPU seconds of
# sampling, rstan's per-chain elapsed times, and the bulk-ESS of the effect parameter.
#
#   Rscript test/reference/time-stan.R network-8    # writes network-8/stan-timing.json

suppressPackageStartupMessages({
  library(rstan)
  library(jsonlite)
})
args_all <- commandArgs(trailingOnly = FALSE)
script_path <- sub("^--file=", "", args_all[grep("^--file=", args_all)])
here <- if (length(script_path) == 1) dirname(normalizePath(script_path)) else "test/reference"
Sys.setenv(FIT_R_DEFINE_ONLY = "1")
sys.source(file.path(here, "fit.R"), envir = environment())
HERE <- here

case <- commandArgs(trailingOnly = TRUE)[1]
dir <- file.path(HERE, case)
stan <- fromJSON(file.path(dir, "stan.json"))
prep <- prepare(file.path(dir, "data.csv"))
network <- prep$data$D >= 2
cm <- compile_model(if (network) "network" else "one-district")
data <- prep$data
if (!network) data$D <- NULL
if (!network) data$district <- NULL
eff_par <- if (network) "mu_theta" else "theta"

cpu0 <- proc.time()
fit <- sampling(cm$model, data = data, chains = CHAINS, warmup = WARMUP, iter = WARMUP + DRAWS,
                seed = SEED, cores = 1, refresh = 0,
                control = list(adapt_delta = stan$adapt_delta, max_treedepth = 10))
cpu <- proc.time() - cpu0
sp <- get_sampler_params(fit, inc_warmup = FALSE)
mon <- monitor(as.array(fit), warmup = 0, print = FALSE)
ess <- mon[eff_par, "Bulk_ESS"]
cpu_seconds <- unname(cpu["user.self"] + cpu["sys.self"])
out <- list(
  case = case,
  rstan_version = as.character(packageVersion("rstan")),
  chains = CHAINS, warmup = WARMUP, draws_per_chain = DRAWS, adapt_delta = stan$adapt_delta, seed = SEED,
  cores = 1L,
  sampling_cpu_seconds = cpu_seconds,
  sampling_wall_seconds = unname(cpu["elapsed"]),
  chain_elapsed_seconds = get_elapsed_time(fit),
  compile_wall_seconds = cm$seconds,
  divergences = sum(sapply(sp, function(x) sum(x[, "divergent__"]))),
  mean_treedepth = mean(unlist(lapply(sp, function(x) x[, "treedepth__"]))),
  effect_parameter = eff_par,
  ess_bulk_effect_parameter = ess,
  ess_per_cpu_second = ess / cpu_seconds,
  load_average_after = readLines("/proc/loadavg"),
  date_utc = format(Sys.time(), tz = "UTC", usetz = TRUE)
)
write_json(out, file.path(dir, "stan-timing.json"), auto_unbox = TRUE, pretty = TRUE, digits = NA)
cat(sprintf("%s: %.1f s CPU sampling (%.1f s wall), bulk-ESS(%s) %.0f -> %.1f ESS per CPU second\n",
            case, cpu_seconds, unname(cpu["elapsed"]), eff_par, ess, ess / cpu_seconds))
