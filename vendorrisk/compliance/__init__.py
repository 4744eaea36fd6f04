"""What regimes require: clause, certification and review-checklist rules from data/."""
