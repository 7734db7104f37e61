"""The readers' site: its pages, templates, article pages, ClaimReview and citation."""
