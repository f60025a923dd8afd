# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Write the info files of OTB99-Lang.

Example:
    python tools/dataset_converters/otb99_lang/gen_otb99_lang_infos.py \
        -i data/OTB99-Lang -o data/OTB99-Lang/annotations --split all

The input holds ``OTB_videos/``, ``OTB_query_train/`` and ``OTB_query_test/``. Writes
``otb99_lang_{train,test}_infos.txt`` with MMTracking's OTB100 frame ranges per sequence
(BlurCar1/3/4, David, Tiger1, ...), the query file and the frame-name template.
"""
from satracker_data.cli import converter_parser, run_converter
from satracker_data.converters import gen_otb99_lang_infos


def parse_args(argv=None):
    parser = converter_parser('OTB99-Lang',
                              'root with OTB_videos/, OTB_query_train/, OTB_query_test/')
    return parser.parse_args(argv)


def main(argv=None):
    run_converter(gen_otb99_lang_infos, parse_args(argv))


if __name__ == '__main__':
    main()
