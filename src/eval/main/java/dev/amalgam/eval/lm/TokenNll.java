package dev.amalgam.eval.lm;

/** Summed negative log-likelihood (nats) over {@code count} predicted tokens; mean NLL and perplexity. */
public record TokenNll(double sum, long count) {

    public static final TokenNll ZERO = new TokenNll(0, 0);

    public TokenNll plus(TokenNll o) {
        return new TokenNll(sum + o.sum, count + o.count);
    }

    public double meanNll() {
        return count == 0 ? Double.NaN : sum / count;
    }

    public double perplexity() {
        return Math.exp(meanNll());
    }
}
