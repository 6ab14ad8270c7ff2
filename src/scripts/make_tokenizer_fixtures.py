#!/usr/bin/env python3
"""Small tokenizer.json files that use the same pipeline components as the real CLIP, GPT-2 and
Llama (SentencePiece-converted) tokenizers, with tiny hand-written vocabularies and merges, so the
Java tests can check DJL's HuggingFaceTokenizer offline with hand-derivable ids. Plain python3, no deps.

Run: python3 src/scripts/make_tokenizer_fixtures.py
"""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable-unicode table, in GPT-2's vocabulary order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) + \
        list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for c in cs]


def added(tid, content, special=True):
    return {"id": tid, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": not special, "special": special}


def bpe(vocab, merges, **kw):
    m = {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
         "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "vocab": vocab, "merges": merges}
    m.update(kw)
    return m


def write(rel, tok):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", path)


def merge_vocab(vocab, merges):
    for m in merges:
        a, b = m.split(" ")
        vocab.setdefault(a + b, len(vocab))


def gpt2():
    # ids 0..255 are exactly GPT-2's byte tokens ("!" = 0, "h" = 71, "\u0120" (space) = 220)
    vocab = {c: i for i, c in enumerate(bytes_to_unicode())}
    merges = ["h e", "l l", "he ll", "hell o", "\u0120 w", "o r", "\u0120w or", "\u0120wor l", "\u0120worl d"]
    merge_vocab(vocab, merges)  # he=256 ll=257 hell=258 hello=259 Gw=260 or=261 Gwor=262 Gworl=263 Gworld=264
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    tok = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [added(299, "<|endoftext|>")],
           "normalizer": None, "pre_tokenizer": byte_level, "post_processor": byte_level, "decoder": byte_level,
           "model": bpe(vocab, merges)}
    write("tokenizers/gpt2/tokenizer.json", tok)
    write("gpt2/tiny/tokenizer.json", tok)


def clip():
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    vocab = {c: i for i, c in enumerate(letters)}                    # a=0 .. z=25
    vocab.update({c + "</w>": 26 + i for i, c in enumerate(letters)})  # a</w>=26 .. z</w>=51
    merges = ["p h", "ph o", "pho t", "phot o</w>", "o f</w>", "c a", "ca t</w>"]
    merge_vocab(vocab, merges)  # ph=52 pho=53 phot=54 photo</w>=55 of</w>=56 ca=57 cat</w>=58
    vocab["<|startoftext|>"] = 59
    vocab["<|endoftext|>"] = 60
    tok = {"version": "1.0", "truncation": None,
           "padding": {"strategy": {"Fixed": 77}, "direction": "Right", "pad_to_multiple_of": None, "pad_id": 60,
                       "pad_type_id": 0, "pad_token": "<|endoftext|>"},
           "added_tokens": [added(59, "<|startoftext|>"), added(60, "<|endoftext|>")],
           "normalizer": {"type": "Sequence", "normalizers": [
               {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}]},
           "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
               {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
                "behavior": "Removed", "invert": True},
               {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
           "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", 60], "cls": ["<|startoftext|>", 59],
                              "trim_offsets": False, "add_prefix_space": False},
           "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
           "model": bpe(vocab, merges, unk_token="<|endoftext|>", continuing_subword_prefix="", end_of_word_suffix="</w>")}
    write("tokenizers/clip/tokenizer.json", tok)


def llama():
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    vocab.update({"<0x%02X>" % b: 3 + b for b in range(256)})        # <0x00>=3 .. <0xFF>=258
    for piece in ["\u2581", "H", "e", "l", "o", "w", "r", "d"]:      # \u2581=259 H=260 e=261 l=262 o=263 w=264 r=265 d=266
        vocab[piece] = len(vocab)
    merges = ["\u2581 H", "l l", "\u2581H e", "\u2581He ll", "\u2581Hell o", "\u2581 w", "o r", "\u2581w or",
              "\u2581wor l", "\u2581worl d"]
    merge_vocab(vocab, merges)  # _H=267 ll=268 _He=269 _Hell=270 _Hello=271 _w=272 or=273 _wor=274 _worl=275 _world=276
    tok = {"version": "1.0", "truncation": None, "padding": None,
           "added_tokens": [added(0, "<unk>"), added(1, "<s>"), added(2, "</s>")],
           "normalizer": {"type": "Sequence", "normalizers": [
               {"type": "Prepend", "prepend": "\u2581"},
               {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
           "pre_tokenizer": None,
           "post_processor": {"type": "TemplateProcessing",
                              "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                              "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                       {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                              "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
           "decoder": {"type": "Sequence", "decoders": [
               {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "}, {"type": "ByteFallback"},
               {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
           "model": bpe(vocab, merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True)}
    write("tokenizers/llama/tokenizer.json", tok)


if __name__ == "__main__":
    gpt2()
    clip()
    llama()
