#!/usr/bin/env bash
# Prints a SHA-256 for each JSON output of `driftwatch drift`, `metrics` and `train` on the benchmark and
# example inputs, so that two builds can be compared byte for byte (a refactoring must not change one):
#   bash scripts/output-fingerprint.sh OLD_BINARY > old.txt
#   bash scripts/output-fingerprint.sh NEW_BINARY > new.txt && diff old.txt new.txt
# The 1M-row benchmark tables are generated once into Benchmarks/drift/data (by the binary given).
set -euo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=Benchmarks/drift/data
[ -f "$data/reference.csv" ] || "$bin" bench generate --dir "$data" > /dev/null
cars=Examples/car_loan
fixtures=Tests/DriftTrainerTests/Fixtures
categorical=cat_0,cat_1,cat_2,cat_3,cat_4
loan_categorical=salary_range,repaid_loan_on_prev_car,size_of_downpayment

run() { # name, command…
    local name=$1
    shift
    "$@" > "$work/$name.out" 2> "$work/$name.err" || echo "exit $?" >> "$work/$name.out"
    if [ -f "$work/model.json" ]; then cat "$work/model.json" >> "$work/$name.out" && rm "$work/model.json"; fi
    # The temporary directory's name is the one part that differs from run to run.
    printf '%s  %s\n' "$(sed "s|$work|WORK|g" "$work/$name.out" | sha256sum | cut -d' ' -f1)" "$name"
}

run drift-bench-1m "$bin" drift --reference "$data/reference.csv" --current "$data/current.csv" \
    --methods ks,psi,chi_square --categorical "$categorical" --format json
run drift-bench-1m-all "$bin" drift --reference "$data/reference.csv" --current "$data/current.csv" \
    --methods ks,psi,chi_square,jensen_shannon,wasserstein,wasserstein_normed,hellinger --categorical "$categorical" --format json
run drift-car-loan "$bin" drift --reference "$cars/car_loan_reference.csv.gz" \
    --current "$cars/car_loan_analysis.csv.gz" --categorical "$loan_categorical" --format json
run metrics-car-loan "$bin" metrics --input "$cars/car_loan_reference.csv.gz" --label repaid \
    --prediction y_pred --score y_pred_proba --format json
run metrics-car-loan-multiclass "$bin" metrics --input "$cars/car_loan_reference.csv.gz" \
    --label salary_range --prediction size_of_downpayment --format json
run train-logistic-car-loan "$bin" train --data "$cars/car_loan_reference.csv.gz" --label repaid \
    --features car_value,debt_to_income_ratio,loan_length,driver_tenure,salary_range \
    --categorical salary_range --search none --output "$work/model.json" --format json
run train-softmax-wine "$bin" train --data "$fixtures/wine.csv" --label target --model softmax \
    --output "$work/model.json" --format json
run train-mlp-breast-cancer "$bin" train --data "$fixtures/breast_cancer.csv" --label target --model mlp \
    --search random --trials 4 --output "$work/model.json" --format json
run train-ridge-car-loan "$bin" train --data "$cars/car_loan_reference.csv.gz" --label car_value \
    --features debt_to_income_ratio,loan_length,driver_tenure --model ridge --output "$work/model.json" \
    --format json
