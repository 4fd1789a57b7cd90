# The independent oracle for Beacon's estimation engine (SurveyOracleTest): R's survey package on each design
# of a folder. designs.csv lists them (id, file, clustered, stratified, fpc, proportion); every design file has
# columns stratum, psu, w, fpc, g, y (y may be NA). Writes r_results.csv: per design and group (all, then each
# value of g) svymean's estimate and SE, and for a proportion's whole sample svyciprop(method = "beta") at 95%
# and 99.8% with the design's degrees of freedom. Usage: Rscript survey_oracle.R DIR adjust|certainty
# (R's survey.lonely.psu), writing DIR/r_results_<lonely>.csv.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
# "adjust" for `beacon estimate`, "certainty" for the Spark estimates (a lonely PSU adds nothing there).
options(survey.lonely.psu = args[2])
manifest <- read.csv(file.path(dir, "designs.csv"), stringsAsFactors = FALSE)
out <- list()
for (i in seq_len(nrow(manifest))) {
  m <- manifest[i, ]
  d <- read.csv(file.path(dir, m$file), stringsAsFactors = FALSE,
                colClasses = c(stratum = "character", psu = "character", g = "character"))
  des <- svydesign(ids = if (m$clustered) ~psu else ~1, strata = if (m$stratified) ~stratum else NULL,
                   weights = ~w, fpc = if (m$fpc) ~fpc else NULL, data = d, nest = TRUE)
  all <- svymean(~y, des, na.rm = TRUE)
  lower95 <- NA; upper95 <- NA; lower998 <- NA; upper998 <- NA; df <- NA
  if (m$proportion) {
    valid <- subset(des, !is.na(y))
    df <- degf(valid)
    ci95 <- attr(svyciprop(~y, valid, method = "beta", level = 0.95), "ci")
    ci998 <- attr(svyciprop(~y, valid, method = "beta", level = 0.998), "ci")
    lower95 <- ci95[[1]]; upper95 <- ci95[[2]]; lower998 <- ci998[[1]]; upper998 <- ci998[[2]]
  }
  rows <- data.frame(design = m$id, group = "all", estimate = coef(all)[[1]], se = SE(all)[[1]], df = df,
                     lower_95 = lower95, upper_95 = upper95, lower_998 = lower998, upper_998 = upper998)
  by <- svyby(~y, ~g, des, svymean, na.rm = TRUE)
  groups <- data.frame(design = m$id, group = as.character(by$g), estimate = by$y, se = by$se, df = NA,
                       lower_95 = NA, upper_95 = NA, lower_998 = NA, upper_998 = NA, rows = NA)
  if (m$proportion) {
    # A domain's beta interval: svyciprop on the subset, whose nrow() keeps the rows outside the domain
    # (their weights zeroed) and whose degf() counts only PSUs with respondents in it.
    for (j in seq_len(nrow(groups))) {
      domain <- subset(valid, g == groups$group[j])
      # (A domain all 0 or all 1 has no beta interval here, nor one in a single PSU: degf() = 0.)
      if (coef(svymean(~y, domain)) %in% c(0, 1) || degf(domain) < 1) next
      groups$df[j] <- degf(domain)
      groups$rows[j] <- nrow(domain)
      ci95 <- attr(svyciprop(~y, domain, method = "beta", level = 0.95), "ci")
      ci998 <- attr(svyciprop(~y, domain, method = "beta", level = 0.998), "ci")
      groups[j, c("lower_95", "upper_95", "lower_998", "upper_998")] <- c(ci95, ci998)
    }
  }
  rows$rows <- if (m$proportion) nrow(valid) else NA
  out[[i]] <- rbind(rows, groups)
}
write.csv(do.call(rbind, out), file.path(dir, paste0("r_results_", args[2], ".csv")), row.names = FALSE)
