/// How much evidence a diagnosis gathers.
public enum DiagnosisDepth: Sendable {
    /// Only what decides the status and the plan: for a repair run whose diagnosis may well
    /// find nothing to do, which must stay cheap.
    case quick
    /// Also the evidence that costs more (for example an access decision computed from a
    /// multi-megabyte policy file).
    case thorough
}
