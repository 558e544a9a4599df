import AmpfixCore
import SystemPackage

/// Every failure on the host, whoever met it: a system call, a library (libsemanage, libkmod,
/// libapt-pkg, librpm), a program ampfix ran, or a refusal ampfix made before it touched
/// anything. What was attempted, on what, and why — "cannot open /tmp/root/etc/passwd:
/// Permission denied".
public struct HostError: Error, CustomStringConvertible, Equatable, Sendable, MessageConvertible {
    /// "open", "load", "commit the changes to store" … (a message: the verb of "cannot …").
    public var operation: Message
    /// The path, store, module or command line it was attempted on.
    public var object: String
    public var cause: Cause

    public enum Cause: Equatable, Sendable, CustomStringConvertible, MessageConvertible {
        /// The kernel's answer, or a library's (libkmod returns -errno).
        case errno(Errno)
        /// What a library said, in its own words (libsemanage's messages through its callback,
        /// libapt-pkg's error stack, librpm's log).
        case said([String])
        /// A program that failed or outlived its deadline.
        case program(ProgramResult)
        /// A refusal of ampfix's own: nothing was attempted.
        case refused(Refusal)
        /// A module's new build the kernel would not load (its errno and words), and whether
        /// the previous build was loaded back.
        case moduleReload(ModuleReloadFailure)

        public var description: String { message.description }

        /// The system's, a library's or a program's own words; ampfix's refusals as messages.
        public var message: Message {
            switch self {
            case .errno(let errno): return .verbatim(errno.description)
            case .said(let messages): return .verbatim(messages.joined(separator: "; "))
            case .program(let result): return result.failureMessage
            case .refused(let refusal): return refusal.message
            case .moduleReload(let failure): return failure.message
            }
        }
    }

    public init(_ operation: Message, _ object: String, _ cause: Cause) {
        self.operation = operation
        self.object = object
        self.cause = cause
    }

    public init(_ operation: Message, _ object: String, _ refusal: Refusal) {
        self.init(operation, object, .refused(refusal))
    }

    /// Wraps what a call threw: an `Errno` or an inner `HostError` keeps its cause (the inner
    /// operation and object are the outer's detail); anything else is said in its own words.
    public init(_ operation: Message, _ object: String, _ error: any Error) {
        switch error {
        case let errno as Errno: self.init(operation, object, .errno(errno))
        case let inner as HostError: self.init(operation, object, inner.cause)
        default: self.init(operation, object, .said(["\(error)"]))
        }
    }

    /// A libkmod (or other -errno) return value.
    public init(_ operation: Message, _ object: String, returned result: Int32) {
        self.init(operation, object, .errno(Errno(rawValue: -result)))
    }

    /// A program that exited non-zero or was killed at its deadline.
    public init(program result: ProgramResult) {
        self.init(.msg("run"), result.commandLine, .program(result))
    }

    public var errno: Errno? {
        if case .errno(let errno) = cause { return errno }
        return nil
    }

    public var refusal: Refusal? {
        if case .refused(let refusal) = cause { return refusal }
        return nil
    }

    /// The cause alone, as the report's evidence quotes it.
    public var reason: String { cause.description }

    public var description: String { message.description }

    public var message: Message {
        // A failed reload says itself what was attempted (the new build) and what became of the old.
        if case .moduleReload(let failure) = cause { return failure.message }
        // TRANSLATORS: %1$s is what was attempted, a verb phrase ("open", "create temporary file
        // for"), %2$s the path, store, module or command it was attempted on, %3$s why. A verb
        // phrase that ends in a preposition is translated so that %2$s reads as its object.
        return reason.isEmpty ? .msg("cannot \(operation) \(object)") : .msg("cannot \(operation) \(object): \(cause)")
    }
}
