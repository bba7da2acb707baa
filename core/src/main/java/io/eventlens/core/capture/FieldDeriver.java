package io.eventlens.core.capture;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import java.util.List;

/**
 * Derives an observation's fields by the capture's extraction rules (docs/decisions/0002-extraction-and-analysis-rules.md).
 * The pipeline's deriver never throws: a rule that fails leaves the event without derived fields
 * and is logged once per capture.
 */
@FunctionalInterface
public interface FieldDeriver {
    /** The derived fields of one observation; {@link DerivedFields#NONE} when none apply. */
    DerivedFields derive(Channel channel, byte[] key, List<Header> headers, byte[] payload);
}
