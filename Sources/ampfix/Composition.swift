import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

/// Where the command line meets the library: the host's adapters for the options given, and
/// runtime failures turned into one line on stderr.
enum Composition {
    static func adapters(_ host: HostOptions, note: @escaping (Message) -> Void) throws -> HostAdapters {
        try HostAdapters(root: host.root, lockTimeout: host.lockTimeout, waiting: note)
    }

    /// Runtime failures become one line on stderr and exit status 2, never a stack trace; an
    /// error of ampfix's own (a refusal, what it could not do on the host) in the report's
    /// language.
    static func runtime<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Speech.error(.of(error))
            throw ExitCode(ExitStatus.couldNotEvaluate)
        }
    }
}
