/** Adapters to technology: Ratis, MongoDB through JNoSQL, the blob store, configuration. */
package org.lms.infrastructure;
