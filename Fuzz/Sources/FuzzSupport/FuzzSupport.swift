import CFuzzDriver

/// The Swift body libFuzzer calls back, set once by `runFuzzer`: a C callback cannot capture it.
nonisolated(unsafe) private var body: (([UInt8]) -> Void)?

/// Hands `target` to libFuzzer (LLVMFuzzerRunDriver) with the program's arguments; each input
/// comes as bytes. Each fuzz target calls this from its `<Target>_main`, the name SwiftPM links
/// as the program's main.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ target: @escaping ([UInt8]) -> Void) -> CInt {
    body = target
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        body?(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
