# Hubbub's two everyday commands, and a few helpers. The work is in scripts/.
.DEFAULT_GOAL := help
.PHONY: help run seed test ci

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-6s %s\n", $$1, $$2 }'

run: ## Build the web client and start Hubbub on http://localhost:8080 (SQLite in ./data)
	scripts/run.sh

seed: ## Fill an empty ./data with demo people, posts and months of help-desk tickets
	scripts/web-deps.sh
	cd web && npm run build
	# The same release binary as `make run` (it embeds web/dist, built first).
	cargo run --release -p hubbub-server -- seed

test: ## Run the whole test suite (Rust, web client, browser test)
	scripts/test.sh

ci: ## Run what CI runs (installs packages, starts PostgreSQL and Redis)
	bash .ci/run
