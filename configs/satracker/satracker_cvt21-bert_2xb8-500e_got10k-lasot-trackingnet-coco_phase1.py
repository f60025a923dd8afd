# Phase 1 of the paper ("we first train our model following the procedure of STARK"): the
# paper's model trained with STARK-ST1's recipe on GOT-10k, LaSOT, TrackingNet and COCO
# (60 000 samples an epoch, 500 epochs, lr / 10 at 400), from CvT-21 ImageNet weights and a
# pretrained BERT (model.backbone.init_cfg and text_encoder.pretrained). Its published last
# checkpoint is the load_from of configs/satracker_tnl2k.py (README, "Reproducing the paper").
_base_ = [
    '../_base_/recipes/satracker_phase1_stark-st1_got10k-lasot-trackingnet-coco.py',
    '../_base_/models/satracker.py'
]
