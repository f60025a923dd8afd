# The demo's language check, part 2 ("wrong sentence"): the trained demo SATracker tested
# with, for each video, the sentence of the look-alike distractor that crosses the target
# (written by the synthetic generator to language_distractor.txt: the same words with the
# distractor's colour, shape or position). Same checkpoint, frames and metric.
_base_ = ['./satracker_tiny-minilm_2xb8_synthetic.py']

test_dataloader = dict(dataset=dict(language_file='language_distractor.txt'))
