# Compares per-chain adaptation results: Stan (stan-chains.json + stan-chains-b.json) vs ours
# (ours-chains.json, as many chains as Stan), ours200 (ours-chains-100{,b}.json: 200 chains) and
# patched200 (patched-chains-100{,b}.json: the same 200 seeds with the NUTS bookkeeping fix).
#   Rscript test/reference/network-8/chains/compare.R > test/reference/network-8/chains/compare.txt
suppressPackageStartupMessages(library(jsonlite))
D <- "test/reference/network-8/chains"
load_chains <- function(files) {
  ch <- do.call(c, lapply(files, function(f) fromJSON(file.path(D, f), simplifyVector = FALSE)$chains))
  list(df = data.frame(stepsize = sapply(ch, `[[`, "stepsize"), div = sapply(ch, `[[`, "divergences"),
                       treedepth = sapply(ch, `[[`, "mean_treedepth"), accept = sapply(ch, `[[`, "mean_accept_stat"),
                       leapfrog = sapply(ch, `[[`, "mean_n_leapfrog"), td_sat = sapply(ch, `[[`, "treedepth_saturated")),
       inv = do.call(rbind, lapply(ch, function(c) unlist(c$inv_metric))))
}
have <- function(f) file.exists(file.path(D, f))
stan <- load_chains(Filter(have, c("stan-chains.json", "stan-chains-b.json")))
n <- nrow(stan$df)
ours <- load_chains("ours-chains.json")
ours$df <- ours$df[seq_len(min(n, nrow(ours$df))), ]; ours$inv <- ours$inv[seq_len(nrow(ours$df)), ]
sets <- list(Stan = stan, ours = ours)
sets$ours200 <- load_chains(Filter(have, c("ours-chains-100.json", "ours-chains-100b.json")))
sets$patched200 <- load_chains(Filter(have, c("patched-chains-100.json", "patched-chains-100b.json")))

cat("== Per-chain summaries ==\n")
tab <- t(sapply(sets, function(s) { d <- s$df; c(
  chains = nrow(d), step_mean = mean(d$stepsize), step_sd = sd(d$stepsize), step_cv = sd(d$stepsize) / mean(d$stepsize),
  sd_log_step = sd(log(d$stepsize)), step_min = min(d$stepsize), step_max = max(d$stepsize),
  div_total = sum(d$div), chains_with_div = sum(d$div > 0), share_with_div = mean(d$div > 0),
  treedepth_mean = mean(d$treedepth), leapfrog_mean = mean(d$leapfrog), accept_mean = mean(d$accept), td_saturated = sum(d$td_sat)) }))
print(round(tab, 4))

test_pair <- function(a, b, la, lb) {
  cat(sprintf("\n== %s vs %s ==\n", la, lb))
  x <- log(a$df$stepsize); y <- log(b$df$stepsize)
  print(var.test(x, y))                        # F-test on log step size
  print(ansari.test(x, y, exact = FALSE))      # rank test of scale
  cat("Levene (Brown-Forsythe, median-centred) on log step size: ")
  g <- factor(c(rep(la, length(x)), rep(lb, length(y)))); v <- c(x, y)
  dev <- abs(v - ave(v, g, FUN = median)); print(summary(aov(dev ~ g))[[1]][1, c("F value", "Pr(>F)")])
  print(wilcox.test(a$df$stepsize, b$df$stepsize, exact = FALSE))   # location
  print(wilcox.test(a$df$div, b$df$div, exact = FALSE))             # divergences per chain
  print(fisher.test(matrix(c(sum(a$df$div > 0), sum(a$df$div == 0), sum(b$df$div > 0), sum(b$df$div == 0)), 2)))
  # Poisson rate comparison of total divergences (same draws per chain)
  # Poisson rate comparison of total divergences (same draws per chain); anti-conservative when
  # divergences cluster in a few chains, so also a permutation test of chains on mean divergences per chain.
  print(poisson.test(c(sum(a$df$div), sum(b$df$div)), c(nrow(a$df), nrow(b$df))))
  set.seed(1); pooled <- c(a$df$div, b$df$div); na <- nrow(a$df); obs <- mean(b$df$div) - mean(a$df$div)
  perm <- replicate(20000, { i <- sample(length(pooled), na); mean(pooled[-i]) - mean(pooled[i]) })
  cat(sprintf("permutation test, mean divergences per chain %s %.3f vs %s %.3f: two-sided p = %.4f\n",
              la, mean(a$df$div), lb, mean(b$df$div), mean(abs(perm) >= abs(obs) - 1e-12)))
  print(wilcox.test(a$df$treedepth, b$df$treedepth, exact = FALSE))
  print(wilcox.test(a$df$accept, b$df$accept, exact = FALSE))
}
test_pair(sets$Stan, sets$ours, "Stan", "ours")
test_pair(sets$Stan, sets$ours200, "Stan", "ours200")
test_pair(sets$Stan, sets$patched200, "Stan", "patched200")
test_pair(sets$ours200, sets$patched200, "ours200", "patched200")

cat("\n== Step size vs divergences within each set (Spearman; logistic of any-divergence on log step) ==\n")
for (nm in names(sets)) {
  d <- sets[[nm]]$df
  if (sum(d$div) == 0) { cat(nm, ": no divergences\n"); next }
  ct <- suppressWarnings(cor.test(d$stepsize, d$div, method = "spearman", exact = FALSE))
  gl <- glm(I(div > 0) ~ log(stepsize), family = binomial, data = d)
  cat(sprintf("%s: Spearman rho %.3f (p %.3g); logistic slope per log step %.2f (p %.3g); mean step with div %.4f, without %.4f\n",
              nm, ct$estimate, ct$p.value, coef(gl)[2], summary(gl)$coefficients[2, 4],
              mean(d$stepsize[d$div > 0]), mean(d$stepsize[d$div == 0])))
}
cat("\n== Step size vs treedepth / accept (Spearman) ==\n")
for (nm in names(sets)) { d <- sets[[nm]]$df
  cat(sprintf("%s: rho(step, treedepth) %.3f, rho(step, accept) %.3f\n", nm,
              cor(d$stepsize, d$treedepth, method = "spearman"), cor(d$stepsize, d$accept, method = "spearman"))) }

cat("\n== Inverse metric diagonal: mean over chains, ours vs Stan (unconstrained, Stan's order) ==\n")
pn <- c(sprintf("alpha[%d]", 1:49), "gamma", "delta", "mu_theta", "log_tau", sprintf("eta[%d]", 1:8), "log_phi")
cmp_inv <- function(a, b, la, lb) {
  ma <- colMeans(a$inv); mb <- colMeans(b$inv)
  # between-chain sd of the mean, per parameter, to judge the differences
  se <- sqrt(apply(a$inv, 2, var) / nrow(a$inv) + apply(b$inv, 2, var) / nrow(b$inv))
  rel <- mb / ma - 1
  z <- (mb - ma) / se
  df <- data.frame(param = pn, stan = ma, other = mb, rel_diff = rel, z = z)
  cat(sprintf("\n%s vs %s: mean relative difference %.4f, median %.4f, mean |rel| %.4f; |z|>2 for %d of %d; Wilcoxon signed-rank on log ratio p = %.3g\n",
              lb, la, mean(rel), median(rel), mean(abs(rel)), sum(abs(z) > 2), length(z),
              wilcox.test(log(mb / ma), exact = FALSE)$p.value))
  o <- order(-abs(rel)); print(head(df[o, ], 10), digits = 4, row.names = FALSE)
  cat("by group (mean rel diff): "); grp <- sub("\\[.*", "", pn)
  print(round(tapply(rel, grp, mean), 4))
  # per-chain spread of the metric: sd over chains of log inverse metric, averaged over parameters
  cat(sprintf("mean over parameters of sd over chains of log inv metric: %s %.4f, %s %.4f\n", la,
              mean(apply(log(a$inv), 2, sd)), lb, mean(apply(log(b$inv), 2, sd))))
}
cmp_inv(sets$Stan, sets$ours, "Stan", "ours")
cmp_inv(sets$Stan, sets$ours200, "Stan", "ours200")
cmp_inv(sets$Stan, sets$patched200, "Stan", "patched200")
