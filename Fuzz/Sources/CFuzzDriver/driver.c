// The declaration is all: LLVMFuzzerRunDriver lives in libFuzzer, linked by -sanitize=fuzzer.
