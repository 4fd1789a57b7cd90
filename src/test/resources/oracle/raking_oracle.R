# R's rake() as the oracle of Beacon's raking (SurveyOracleTest): for each problem_<id>.csv (columns w and the
# margins' categories m1, m2, ...) and targets_<id>.csv (margin, category, total), the raked weights to a
# tolerance of 1e-13, written to raked_<id>.csv. Usage: Rscript raking_oracle.R DIR COUNT
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
for (id in seq_len(as.integer(args[2]))) {
  d <- read.csv(file.path(dir, paste0("problem_", id, ".csv")))
  targets <- read.csv(file.path(dir, paste0("targets_", id, ".csv")), stringsAsFactors = FALSE)
  margins <- unique(targets$margin)
  for (m in margins) d[[m]] <- factor(d[[m]])
  des <- svydesign(ids = ~1, weights = ~w, data = d)
  pops <- lapply(margins, function(m) {
    t <- targets[targets$margin == m, ]
    p <- data.frame(factor(t$category), t$total)
    names(p) <- c(m, "Freq")
    p
  })
  raked <- rake(des, lapply(margins, function(m) as.formula(paste0("~", m))), pops,
                control = list(maxit = 1000, epsilon = 1e-13, verbose = FALSE))
  write.csv(data.frame(w = weights(raked)), file.path(dir, paste0("raked_", id, ".csv")), row.names = FALSE)
}
