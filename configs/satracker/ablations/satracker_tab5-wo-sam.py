# Table 5 'w/o SAM': a visual tracker with TEM only (no SAM, no text encoder, no DM loss),
# Table 4 (2)'s model: this variant shares its phase 1 and phase 2.
_base_ = ['./satracker_tab4-2-tem.py']
